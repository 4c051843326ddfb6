"""The engine with understanding on plain data: FAQ answers before the fallback, an upset shopper offered a person."""

from flows import engine
from tests.flowkit import assistant_graph
from tests.flows.test_engine import Chat, loaded, texts

ANGRY = {"score": -0.85, "label": "negative", "strongly_negative": True}
CALM = {"score": 0.0, "label": "neutral", "strongly_negative": False}


def say(chat: Chat, text: str, *, sentiment=CALM, faq_answer: str = "") -> engine.EngineResult:
    chat.ctx.data = {**chat.ctx.data, "sentiment": sentiment}
    chat.ctx.faq_answer = faq_answer
    return chat.send("message", text)


def test_a_matched_faq_answer_is_given_instead_of_the_fallback_and_personalized():
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    result = say(chat, "do you ship abroad?", faq_answer="Yes {{ contact.name }}, we ship worldwide.")
    assert texts(result) == ["Yes Dana, we ship worldwide."]
    assert [e.name for e in result.events] == ["faq_answered"]
    assert chat.state["fallbacks"] == 0 and chat.state["node"] == "menu"


def test_without_a_matching_faq_the_generic_fallback_still_answers():
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    assert texts(say(chat, "tell me a joke")) == [engine.FALLBACK_TEXT]


def test_repeated_strong_negativity_offers_a_person_once():
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    first = say(chat, "this is awful", sentiment=ANGRY)
    assert engine.UPSET_TEXT not in texts(first)
    second = say(chat, "worst shop ever, I hate this", sentiment=ANGRY)
    assert texts(second)[-1] == engine.UPSET_TEXT
    assert [b.payload for b in second.replies[-1].buttons] == [engine.TALK_TO_PERSON, engine.KEEP_CHATTING]
    assert "upset" in [e.name for e in second.events]
    third = say(chat, "still terrible", sentiment=ANGRY)
    assert engine.UPSET_TEXT not in texts(third)


def test_a_calm_message_between_angry_ones_resets_the_count():
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    say(chat, "this is awful", sentiment=ANGRY)
    say(chat, "ok whatever", sentiment=CALM)
    assert engine.UPSET_TEXT not in texts(say(chat, "terrible!!", sentiment=ANGRY))


def test_a_store_with_no_flow_still_answers_an_faq():
    chat = Chat(None)
    result = say(chat, "return policy?", faq_answer="30 days.")
    assert texts(result) == ["30 days."]
