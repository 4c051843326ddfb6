"""Bot turns through the conversation service: stored, answered once, in order, and never lost."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from analytics.models import Event
from conversations import services, turns
from conversations.models import Conversation, HeldBy, Message, Sender
from flows import engine
from flows import services as flow_services
from tests.conversations.conftest import Shopper, publish
from tests.flowkit import edge, graph, node


def test_a_whole_order_tracking_chat_is_stored_and_counted(alice_store, assistant, on_commit):
    shopper = Shopper(alice_store, on_commit)
    assert shopper.bot_texts() == [f"Hi Dana! I'm {alice_store.bot_name}.", "What can I help you with?"]
    assert shopper.say(payload="menu/track") == ["What's the email on your order?"]
    assert "email" in shopper.say("not an email")[0].lower()
    assert shopper.say("dana@example.com") == ["And the order number?"]
    assert shopper.say("1042")[:1] == ["Thanks! Looking up order #1042 for dana@example.com."]
    shopper.say(payload="bye/5")

    conversation = shopper.refresh()
    assert conversation.contact.email == "dana@example.com"
    assert conversation.flow_state["vars"] == {"order": 1042}
    assert conversation.rating == 5
    pressed = Message.objects.get(conversation=conversation, payload="menu/track")
    assert pressed.sender == Sender.SHOPPER and pressed.text == "Track my order"
    assert not Message.objects.filter(conversation=conversation, sender=Sender.SHOPPER, bot_handled_at=None).exists()
    names = list(Event.objects.filter(store=alice_store, conversation_id=conversation.pk).values_list("name", flat=True))
    assert names.count("rating") == 1 and "button_clicked" in names and names.count("node_entered") >= 6
    version = assistant.published_version
    entered = Event.objects.filter(name="node_entered", flow_version_id=version.pk, contact_id=conversation.contact_id)
    assert set(entered.values_list("node_id", flat=True)) >= {"welcome", "menu", "ask_email", "ask_order", "bye"}


def test_a_resent_message_is_stored_once_and_answered_once(assistant, shopper, on_commit):
    for _ in range(2):
        with on_commit(execute=True):
            services.post_shopper_message(shopper.conversation, text="hello?", client_id="same")
    assert Message.objects.filter(conversation=shopper.conversation, sender=Sender.SHOPPER).count() == 1
    assert shopper.bot_texts().count(engine.FALLBACK_TEXT) == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [("x" * 4001, "too_large"), ("", "bad_frame"), ("   ", "bad_frame"), ("\x00\x01binary\x02", "bad_frame"),
     ("\ud800", "bad_frame"), (42, "bad_frame")],
)  # fmt: skip
def test_huge_binary_or_empty_text_is_refused_and_nothing_is_stored(shopper, text, code):
    with pytest.raises(ValidationError) as refused:
        services.post_shopper_message(shopper.conversation, text=text, client_id="c1")
    assert refused.value.code == code
    assert not Message.objects.filter(conversation=shopper.conversation, sender=Sender.SHOPPER).exists()


def test_the_sweep_answers_a_message_whose_bot_turn_was_lost(assistant, shopper, on_commit):
    with on_commit(execute=False):  # the worker died: the enqueued turn never ran
        message, _ = services.post_shopper_message(shopper.conversation, text="2", client_id="lost")
    assert turns.sweep()["turns"] == 0  # too young to call lost
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=10))
    with on_commit(execute=True):
        assert turns.sweep()["turns"] == 1
    assert shopper.bot_texts(after=message.pk) == ["How tall are you, in cm?"]
    assert turns.sweep()["turns"] == 0  # answered once; nothing left


def test_a_lost_greeting_is_recovered_by_the_sweep(alice_store, assistant, on_commit):
    contact = services.get_or_create_contact(alice_store)
    with on_commit(execute=False):
        conversation = services.start_conversation(contact)
    Conversation.objects.filter(pk=conversation.pk).update(created_at=timezone.now() - timedelta(seconds=10))
    with on_commit(execute=True):
        turns.sweep()
    assert Message.objects.filter(conversation=conversation, sender=Sender.BOT).count() == 2


def test_a_handoff_takes_the_bot_out_of_the_conversation(assistant, shopper):
    assert "email" in shopper.say(payload="menu/human")[0].lower()  # nobody online: leave an email
    shopper.say("dana@example.com")
    conversation = shopper.refresh()
    assert conversation.held_by == HeldBy.AGENT and conversation.handed_off_at is not None
    assert shopper.say("hello? anyone?") == []
    assert Message.objects.get(conversation=conversation, text="hello? anyone?").bot_handled_at is not None
    assert Event.objects.filter(conversation_id=conversation.pk, name="handoff").count() == 1


def test_a_wait_is_fired_by_the_beat_sweep_when_it_is_due(alice_store, on_commit):
    publish(alice_store, graph(
        [node("hi", "send_message", text="Have a look around!"), node("pause", "wait", amount=2, unit="minutes"),
         node("nudge", "send_message", text="Found what you were looking for?")],
        [edge("hi", "pause"), edge("pause", "nudge")],
    ))  # fmt: skip
    shopper = Shopper(alice_store, on_commit)
    conversation = shopper.refresh()
    assert shopper.bot_texts() == ["Have a look around!"] and conversation.wake_at is not None
    with on_commit(execute=True):
        assert turns.sweep()["woken"] == 0
        assert turns.sweep(now=timezone.now() + timedelta(minutes=3))["woken"] == 1
    assert shopper.bot_texts() == ["Have a look around!", "Found what you were looking for?"]
    assert shopper.refresh().wake_at is None


def test_a_chat_finishes_on_the_version_it_started_with(alice_store, assistant, on_commit):
    shopper = Shopper(alice_store, on_commit)
    shopper.say(payload="menu/track")
    changed = assistant.draft_graph
    changed["nodes"][2]["config"]["prompt"] = "Which email did you order with?"
    flow_services.update_flow(assistant, graph=changed)
    flow_services.publish_flow(assistant)
    assert shopper.say("dana@example.com") == ["And the order number?"]  # the old version's next question
    newcomer = Shopper(alice_store, on_commit)
    assert newcomer.say(payload="menu/track") == ["Which email did you order with?"]


def test_another_stores_flow_never_answers(alice_store, bob_store, on_commit):
    publish(bob_store, graph([node("hi", "send_message", text="Welcome to Bob's Bikes")], []))
    shopper = Shopper(alice_store, on_commit)
    assert shopper.bot_texts() == []
    assert shopper.say("hello") == [engine.FALLBACK_TEXT]


def test_contact_attributes_are_validated_and_merged(shopper):
    contact = services.set_contact_attributes(shopper.conversation.contact, {"size": "M", "vip": True})
    contact = services.set_contact_attributes(contact, {"size": None, "points": 120})
    assert contact.attributes == {"vip": True, "points": 120}
    for bad in ({"bad key": 1}, {"__class__": 1}, {"nested": {"a": 1}}, ["not", "a", "dict"]):
        with pytest.raises(ValidationError):
            services.set_contact_attributes(contact, bad)
    contact.refresh_from_db()
    assert contact.attributes == {"vip": True, "points": 120}


@pytest.mark.parametrize("rating", [0, 6, "5", 4.5, True])
def test_a_rating_is_a_whole_number_from_one_to_five(shopper, rating):
    with pytest.raises(ValidationError):
        services.rate_conversation(shopper.conversation, rating=rating)
    assert shopper.refresh().rating is None
