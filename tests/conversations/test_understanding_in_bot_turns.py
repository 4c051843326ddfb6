"""Bot turns read each shopper message: intent, entities and sentiment in the context; FAQ answers."""

from conversations.models import Conversation
from flows.understanding import services
from tests.conversations.conftest import Shopper, publish
from tests.flowkit import edge, graph, node


def test_a_shoppers_faq_question_gets_the_stores_answer(alice_store, assistant, on_commit):
    with on_commit(execute=True):
        services.create_faq_entry(alice_store, questions=["do you ship to canada", "do you ship abroad"],
                                  answer="Yes {{ contact.name }}, we ship to Canada.")  # fmt: skip
    shopper = Shopper(alice_store, on_commit)
    assert shopper.say("do u ship to canada??") == ["Yes Dana, we ship to Canada."]


def test_a_flow_reads_the_intent_entities_and_sentiment_of_the_last_message(alice_store, on_commit):
    with on_commit(execute=True):
        services.create_intent(alice_store, name="track_order", examples=["where is my order", "track my package"])
    publish(alice_store, graph(
        [node("ask", "collect_input", prompt="Yes?", kind="text", save_to="vars.said"),
         node("tell", "send_message",
              text="{{ intent }} {{ entities.order_number }} {{ entities.email }} {{ sentiment.label }}")],
        [edge("ask", "tell")],
    ))  # fmt: skip
    shopper = Shopper(alice_store, on_commit)
    assert shopper.say("wheres my order #1042?? dana@example.com, this is terrible") == [
        "track_order 1042 dana@example.com negative"
    ]


def test_two_angry_messages_offer_a_person(alice_store, assistant, on_commit):
    shopper = Shopper(alice_store, on_commit)
    shopper.say("this is the worst, absolutely terrible service")
    answered = shopper.say("I hate this, awful awful awful")
    assert "talk to a person" in answered[-1].lower()
    assert Conversation.objects.get(pk=shopper.conversation.pk).flow_state["upset"] == 2
