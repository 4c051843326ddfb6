"""Triggers start flows by themselves: priorities, caps, the cooldown, and never over a conversation in progress."""

import pytest

from analytics.models import Event
from conversations import inbox, proactive
from conversations.models import Conversation, ProactiveStart
from tenants import services as tenant_services
from tests.conversations.conftest import Shopper
from tests.conversations.proactive_kit import flow_saying, later, page_event, proactive_texts

pytestmark = pytest.mark.django_db


def test_exit_intent_starts_its_flow_with_a_proactive_message_and_an_event(alice_store, assistant, shopper):
    flow = flow_saying(alice_store, "Before you go: 10% off with HELLO10", {"kind": "exit_intent", "display": "open"})
    page_event(shopper, "exit_intent")
    assert proactive_texts(shopper) == [("Before you go: 10% off with HELLO10", "open")]
    fired = Event.objects.get(store=alice_store, name="trigger_fired")
    trigger = flow.triggers.get()
    assert fired.data == {"trigger_id": trigger.pk, "kind": "exit_intent", "flow_id": flow.pk}
    assert fired.conversation_id == shopper.conversation.pk and fired.contact_id == shopper.conversation.contact_id


def test_the_greeting_a_shopper_never_answered_does_not_block_a_trigger(alice_store, assistant, shopper):
    assert shopper.bot_texts()[-1] == "What can I help you with?"  # the menu waits for an answer
    flow_saying(alice_store, "Still looking?", {"kind": "time_on_page", "seconds": 30})
    page_event(shopper, "time_on_page", {"seconds": 20})
    assert proactive_texts(shopper) == []
    page_event(shopper, "time_on_page", {"seconds": 30})
    assert proactive_texts(shopper) == [("Still looking?", "teaser")]


def test_the_highest_priority_matching_trigger_wins(alice_store, assistant, shopper):
    flow_saying(alice_store, "Low", {"kind": "exit_intent", "priority": 1})
    flow_saying(alice_store, "High", {"kind": "exit_intent", "priority": 50})
    flow_saying(alice_store, "Highest but another kind", {"kind": "scroll", "percent": 10, "priority": 99})
    page_event(shopper, "exit_intent")
    assert [text for text, _ in proactive_texts(shopper)] == ["High"]


def test_a_capped_trigger_gives_way_to_the_next_one(alice_store, assistant, shopper):
    flow_saying(alice_store, "First", {"kind": "exit_intent", "priority": 9, "cap_per_shopper": 1})
    flow_saying(alice_store, "Second", {"kind": "exit_intent", "priority": 1, "cap_per_day": 5})
    conversation_id = shopper.conversation.pk
    assert proactive.consider(conversation_id, "exit_intent", now=later(0)).kind == "exit_intent"
    assert proactive.consider(conversation_id, "exit_intent", now=later(60 * 30)) is not None  # 30 hours on
    assert [text for text, _ in proactive_texts(shopper)] == ["First", "Second"]


def test_caps_per_day_and_per_shopper_and_the_cooldown(alice_store, assistant, shopper):
    flow = flow_saying(alice_store, "Psst", {"kind": "exit_intent", "cap_per_day": 2, "cap_per_shopper": 3})
    cid = shopper.conversation.pk
    assert proactive.consider(cid, "exit_intent", now=later(0))
    assert proactive.consider(cid, "exit_intent", now=later(5)) is None  # within the store's 10-minute cooldown
    assert proactive.consider(cid, "exit_intent", now=later(11))
    assert proactive.consider(cid, "exit_intent", now=later(60)) is None  # two today already
    assert proactive.consider(cid, "exit_intent", now=later(24 * 60 + 1))  # the first one is a day old now
    assert proactive.consider(cid, "exit_intent", now=later(3 * 24 * 60)) is None  # three in all
    assert ProactiveStart.objects.filter(trigger__flow=flow, contact=shopper.conversation.contact).count() == 3


def test_a_trigger_that_would_fire_every_second_is_capped(alice_store, assistant, shopper):
    flow_saying(alice_store, "Hello again", {"kind": "time_on_page", "seconds": 5, "cap_per_day": 10})
    for second in range(5, 65):
        page_event(shopper, "time_on_page", {"seconds": second})
    assert proactive_texts(shopper) == [("Hello again", "teaser")]  # the cooldown holds the other 59


def test_a_disabled_trigger_or_an_unpublished_flow_never_fires(alice_store, assistant, shopper):
    flow_saying(alice_store, "Off", {"kind": "exit_intent", "enabled": False})
    draft = flow_saying(alice_store, "Draft", {"kind": "exit_intent"})
    draft.published_version = None
    draft.save(update_fields=["published_version"])
    page_event(shopper, "exit_intent")
    assert proactive_texts(shopper) == []


def test_it_never_interrupts_a_shopper_who_just_wrote(alice_store, shopper):
    flow_saying(alice_store, "Psst", {"kind": "exit_intent"})
    shopper.say("do you ship to Spain?")
    page_event(shopper, "exit_intent")
    assert proactive_texts(shopper) == []
    assert proactive.busy(Conversation.objects.get(pk=shopper.conversation.pk), later(1)) == "someone wrote recently"
    # Once the store's quiet window has passed (and the bot is not mid-dialogue), it may speak.
    assert proactive.consider(shopper.conversation.pk, "exit_intent", now=later(6)) is not None


def test_it_never_interrupts_a_dialogue_the_shopper_is_in(alice_store, assistant, shopper):
    flow_saying(alice_store, "Psst", {"kind": "exit_intent"})
    shopper.say(payload="menu/track")  # the bot now waits for their email
    assert proactive.consider(shopper.conversation.pk, "exit_intent", now=later(20)) is None
    conversation = Conversation.objects.get(pk=shopper.conversation.pk)
    assert proactive.busy(conversation, later(20)) == "the shopper is answering the flow"
    # A dialogue left alone for half an hour is over: the next visit may get proactive messages again.
    assert proactive.consider(shopper.conversation.pk, "exit_intent", now=later(31)) is not None


def test_it_never_interrupts_an_agent(alice_store, alice_agent, assistant, shopper):
    flow_saying(alice_store, "Psst", {"kind": "exit_intent"})
    inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    assert proactive.consider(shopper.conversation.pk, "exit_intent", now=later(60)) is None
    assert proactive_texts(shopper) == []


def test_a_shopper_mid_wait_is_not_interrupted(alice_store, shopper):
    conversation = Conversation.objects.get(pk=shopper.conversation.pk)
    conversation.pending_effect = {"id": "e1", "kind": "wait"}
    conversation.save(update_fields=["pending_effect"])
    flow_saying(alice_store, "Psst", {"kind": "exit_intent"})
    assert proactive.consider(conversation.pk, "exit_intent") is None


def test_a_trigger_on_a_new_conversation_replaces_the_greeting(alice_store, assistant, on_commit):
    flow_saying(alice_store, "Welcome to the sale!", {"kind": "exit_intent", "display": "open"})
    from conversations import services

    contact = services.get_or_create_contact(alice_store)
    with on_commit(execute=False):  # the greeting's bot turn has not run yet
        conversation = services.start_conversation(contact)
    assert proactive.consider(conversation.pk, "exit_intent") is not None
    from conversations.turns import run_bot_turn

    run_bot_turn(conversation.pk)  # the greeting's turn, late: it must not greet over the trigger's flow
    texts = list(conversation.messages.values_list("text", flat=True))
    assert texts == ["Welcome to the sale!"]


def test_the_flow_reads_what_fired_it_in_vars_trigger(alice_store, assistant, shopper):
    flow_saying(alice_store, "You have been here {{ vars.trigger.seconds }} seconds", {"kind": "time_on_page", "seconds": 5})
    page_event(shopper, "time_on_page", {"seconds": 40})
    assert proactive_texts(shopper) == [("You have been here 40 seconds", "teaser")]


def test_page_rules_read_the_page_the_shopper_is_on(alice_store, assistant, shopper):
    flow_saying(alice_store, "Shirts on sale", {"kind": "page_url", "match": "regex", "value": r"/products/.*shirt"})
    page_event(shopper, "page_view", {"url": "https://shop.alice.example/products/straw-hat", "title": "Hat"})
    assert proactive_texts(shopper) == []
    page_event(shopper, "page_view", {"url": "https://shop.alice.example/products/linen-shirt", "title": "Shirt"})
    assert proactive_texts(shopper) == [("Shirts on sale", "teaser")]


def test_utm_and_referrer_come_from_the_landing_page(alice_store, assistant, shopper):
    flow_saying(alice_store, "Hi newsletter reader", {"kind": "utm", "source": "newsletter", "campaign": "june"})
    landing = "https://shop.alice.example/?utm_source=Newsletter&utm_medium=email&utm_campaign=june"
    page_event(shopper, "page_view", {"url": landing, "referrer": "https://mail.example.com/"})
    assert proactive_texts(shopper) == [("Hi newsletter reader", "teaser")]
    context = Conversation.objects.get(pk=shopper.conversation.pk).context
    assert context["utm"] == {"source": "newsletter", "medium": "email", "campaign": "june"}
    page_event(shopper, "page_view", {"url": "https://shop.alice.example/products/hat"})
    context = Conversation.objects.get(pk=shopper.conversation.pk).context
    assert context["page"]["referrer"] == "https://mail.example.com/" and context["utm"]["source"] == "newsletter"


def test_widget_opened_picks_its_audience(alice_store, assistant, on_commit):
    flow_saying(alice_store, "Welcome back!", {"kind": "widget_opened", "audience": "returning", "priority": 5})
    flow_saying(alice_store, "First time here?", {"kind": "widget_opened", "audience": "first_visit"})
    new, returning = Shopper(alice_store, on_commit, "Nia"), Shopper(alice_store, on_commit, "Ray")
    returning.conversation.contact.visits = 3
    returning.conversation.contact.save(update_fields=["visits"])
    page_event(new, "widget_opened")
    page_event(returning, "widget_opened")
    assert [t for t, _ in proactive_texts(new)] == ["First time here?"]
    assert [t for t, _ in proactive_texts(returning)] == ["Welcome back!"]


def test_cart_value_and_custom_events(alice_store, assistant, shopper):
    flow_saying(alice_store, "Free shipping unlocked", {"kind": "cart_value", "min": "75"})
    cart = {"items": [{"product_id": "101", "variant_id": "1011", "quantity": 1, "price": "40.00"}], "total": "40.00"}
    page_event(shopper, "cart_updated", {"cart": cart})
    assert proactive_texts(shopper) == []
    page_event(shopper, "cart_updated", {"cart": {**cart, "total": "80.00"}})
    assert proactive_texts(shopper) == [("Free shipping unlocked", "teaser")]
    flow_saying(alice_store, "Quiz done!", {"kind": "custom_event", "event": "quiz_done"})
    assert proactive.consider(shopper.conversation.pk, "custom", {"event": "quiz_done"}, now=later(11))


def test_another_stores_triggers_never_fire_here(alice_store, bob_store, assistant, shopper):
    flow_saying(bob_store, "Bob's bikes!", {"kind": "exit_intent"})
    page_event(shopper, "exit_intent")
    assert proactive_texts(shopper) == []


def test_the_cooldown_is_a_store_setting(alice_store, assistant, shopper):
    tenant_services.update_store_settings(alice_store, proactive_cooldown_minutes=60)
    flow_saying(alice_store, "Psst", {"kind": "exit_intent", "cap_per_day": 10})
    cid = shopper.conversation.pk
    assert proactive.consider(cid, "exit_intent", now=later(0))
    assert proactive.consider(cid, "exit_intent", now=later(30)) is None
    assert proactive.consider(cid, "exit_intent", now=later(61))
