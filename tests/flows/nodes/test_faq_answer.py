from flows.nodes import faq_answer
from tests.flows.nodes.helpers import message, texts
from tests.flows.nodes.shop_fakes import run_node


def test_it_asks_then_answers_a_question_matching_an_faq_entry():
    asked = run_node(faq_answer, None, {})
    assert texts(asked) == ["What would you like to know?"] and asked.wait_for_input
    answered = run_node(faq_answer, None, {}, incoming=message("do you ship abroad"),
                        faq_answer="Yes {{ contact.name }}, we ship abroad.")  # fmt: skip
    assert answered.next == "answered" and texts(answered) == ["Yes Ann, we ship abroad."]
    assert answered.set_vars == {"question": "do you ship abroad"} and answered.events[0].name == "faq_answered"


def test_a_question_without_an_faq_leaves_by_none():
    result = run_node(faq_answer, None, {"none_text": "Hmm, not sure.", "save_text_to": "q"}, incoming=message("x?"))
    assert result.next == "none" and texts(result) == ["Hmm, not sure."] and result.set_vars == {"q": "x?"}


def test_without_a_prompt_it_waits_quietly():
    result = run_node(faq_answer, None, {"prompt": ""})
    assert result.replies == [] and result.wait_for_input
