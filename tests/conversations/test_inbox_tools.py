"""The inbox's tools beyond takeover: canned responses, product cards, snooze, rating prompt and transcripts,
unread counts and sentiment, on the real PostgreSQL (eager Celery, on-commit work run)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from analytics.models import Event
from conversations import canned, inbox, queries, turns
from conversations.models import Message, Sender, Status
from conversations.services import post_shopper_postback
from tests.conversations.conftest import Shopper

# --- canned responses ---------------------------------------------------------------------------------


def test_a_canned_response_expands_with_the_shoppers_name(alice_store, alice_agent, shopper):
    canned.create_canned_response(
        alice_store, shortcut="/Returns", text='Hi {{ contact.first_name | default:"there" }}, returns are free at {{ store.name }}.'
    )
    assert canned.expand(alice_store, shopper.conversation.pk, "/returns") == "Hi Dana, returns are free at Alice's Apparel."
    anonymous = Shopper(alice_store, shopper.on_commit, name="")
    assert canned.expand(alice_store, anonymous.conversation.pk, "returns").startswith("Hi there,")


def test_canned_shortcuts_are_checked_unique_per_store_and_valid_templates(alice_store, bob_store):
    canned.create_canned_response(alice_store, shortcut="returns", text="Free returns.")
    with pytest.raises(ValidationError, match="already a canned response"):
        canned.create_canned_response(alice_store, shortcut="RETURNS", text="Again")
    canned.create_canned_response(bob_store, shortcut="returns", text="Bob's returns")  # another store may
    with pytest.raises(ValidationError, match="lowercase letters"):
        canned.create_canned_response(alice_store, shortcut="two words", text="x")
    with pytest.raises(ValidationError):
        canned.create_canned_response(alice_store, shortcut="broken", text="Hi {{ contact.first_name | nope }}")
    with pytest.raises(ValidationError, match="Write the reply"):
        canned.create_canned_response(alice_store, shortcut="empty", text="   ")
    assert [c.shortcut for c in canned.matching(alice_store, "/ret")] == ["returns"]


def test_another_stores_canned_response_or_conversation_cannot_be_expanded(alice_store, bob_store, shopper):
    canned.create_canned_response(bob_store, shortcut="secret", text="Bob's secret")
    with pytest.raises(ValidationError, match="no canned response"):
        canned.expand(alice_store, shopper.conversation.pk, "secret")
    canned.create_canned_response(bob_store, shortcut="hi", text="Hi {{ contact.name }}")
    with pytest.raises(Http404):
        canned.expand(bob_store, shopper.conversation.pk, "hi")


# --- product cards ------------------------------------------------------------------------------------


def test_an_agent_sends_product_cards_found_in_the_catalog(alice_store, alice_agent, alice_shop_mirror, shopper, on_commit):
    found = inbox.search_catalog(alice_store, "linen shirt")
    assert found[0]["title"] == "Linen Shirt" and found[0]["product_id"] == "101" and found[0]["in_stock"]
    with on_commit(execute=True):
        message = inbox.send_products(alice_store, shopper.conversation.pk, alice_agent, product_ids=["101", "102"])
    assert message.sender == Sender.AGENT and message.text == "Here's something you might like:"
    assert [c["title"] for c in message.cards] == ["Linen Shirt", "Straw Hat"]
    assert message.cards[0]["variant_id"] == "1011" and message.cards[0]["price"] == "40.00"
    assert shopper.refresh().assignee == alice_agent  # sending takes the conversation, like a reply


def test_products_of_another_store_or_nonsense_are_refused(alice_store, bob_store, alice_agent, alice_shop_mirror, shopper):
    from integrations import mirror

    mirror.write("products", bob_store, [{**_bob_product(), "platform_id": "999"}], timezone.now())
    for bad in (["999"], [], "101", [True], ["101"] * 11):
        with pytest.raises(ValidationError):
            inbox.send_products(alice_store, shopper.conversation.pk, alice_agent, product_ids=bad)
    assert not Message.objects.filter(conversation=shopper.conversation, sender=Sender.AGENT).exists()


def _bob_product():
    from tests.integrations.mirror_world import _product, _variant

    return _product("999", "Bob Secret", [_variant("9991", "S", "1.00")])


# --- snooze ---------------------------------------------------------------------------------------------


def _handed_off(store, agent, on_commit, name="Dana"):
    shopper = Shopper(store, on_commit, name=name)
    inbox.take_over(store, shopper.conversation.pk, agent)
    return shopper


def test_a_snoozed_conversation_leaves_the_active_views_until_the_sweep_wakes_it(alice_store, alice_agent, on_commit):
    shopper = _handed_off(alice_store, alice_agent, on_commit)
    later = timezone.now() + timedelta(hours=2)
    inbox.snooze_conversation(alice_store, shopper.conversation.pk, alice_agent, until=later.isoformat())
    assert shopper.conversation.pk not in [c.pk for c in queries.inbox_conversations(alice_store, alice_agent, "mine")]
    assert [c.pk for c in queries.inbox_conversations(alice_store, alice_agent, "snoozed")] == [shopper.conversation.pk]
    assert turns.sweep(now=timezone.now())["snoozes"] == 0  # not due yet
    assert turns.sweep(now=later + timedelta(seconds=1))["snoozes"] == 1
    assert shopper.refresh().snoozed_until is None
    assert shopper.conversation.pk in [c.pk for c in queries.inbox_conversations(alice_store, alice_agent, "mine")]
    assert Event.objects.filter(conversation_id=shopper.conversation.pk, name="snooze").count() == 1


def test_a_shopper_message_wakes_a_snoozed_conversation(alice_store, alice_agent, on_commit):
    shopper = _handed_off(alice_store, alice_agent, on_commit)
    until = (timezone.now() + timedelta(days=1)).isoformat()
    inbox.snooze_conversation(alice_store, shopper.conversation.pk, alice_agent, until=until)
    shopper.say("Hello? Anyone?")
    assert shopper.refresh().snoozed_until is None


@pytest.mark.parametrize("until", ["tomorrow", "2020-01-01T00:00:00+00:00", "2099-01-01T00:00:00+00:00",
                                   "2030-01-01T00:00:00", None, 5])  # fmt: skip
def test_a_snooze_needs_a_real_time_in_the_next_90_days(alice_store, alice_agent, shopper, until):
    with pytest.raises(ValidationError):
        inbox.snooze_conversation(alice_store, shopper.conversation.pk, alice_agent, until=until)
    assert shopper.refresh().snoozed_until is None


def test_another_stores_agent_cannot_snooze(alice_store, bob_store, bob, shopper):
    with pytest.raises(PermissionDenied):
        inbox.snooze_conversation(bob_store, shopper.conversation.pk, bob,
                                  until=(timezone.now() + timedelta(hours=1)).isoformat())  # fmt: skip


# --- after the chat: rating and transcript ------------------------------------------------------------------


def test_resolving_can_ask_for_a_rating_and_the_shoppers_stars_are_recorded(alice_store, alice_agent, on_commit):
    shopper = _handed_off(alice_store, alice_agent, on_commit)
    with on_commit(execute=True):
        inbox.resolve_conversation(alice_store, shopper.conversation.pk, alice_agent, ask_rating=True)
    prompt = Message.objects.filter(conversation=shopper.conversation, sender=Sender.BOT).last()
    assert prompt.text == "How did we do? Rate this chat:"
    assert [b["payload"] for b in prompt.buttons] == [f"inbox:rate:{n}" for n in range(1, 6)]  # no email: no transcript
    answer = shopper.say(payload="inbox:rate:4")
    conversation = shopper.refresh()
    assert conversation.rating == 4 and conversation.status == Status.RESOLVED  # rating does not reopen it
    assert answer == ["Thank you for your rating!"]
    assert Event.objects.filter(conversation_id=conversation.pk, name="rating").count() == 1
    assert Event.objects.filter(conversation_id=conversation.pk, name="rating_requested").count() == 1


def test_a_rating_button_that_was_never_offered_is_refused(alice_store, shopper):
    with pytest.raises(ValidationError):
        post_shopper_postback(shopper.conversation, payload="inbox:rate:5", client_id="forged")
    assert shopper.refresh().rating is None


def test_the_shopper_can_ask_for_the_transcript_which_is_plain_text_without_notes(alice_store, alice_agent, on_commit):
    shopper = _handed_off(alice_store, alice_agent, on_commit)
    shopper.conversation.contact.email = "dana@example.com"
    shopper.conversation.contact.save()
    shopper.say("<b>my order</b> & stuff")
    inbox.add_note(alice_store, shopper.conversation.pk, alice_agent, text="internal: VIP")
    inbox.reply(alice_store, shopper.conversation.pk, alice_agent, text="Sorted!")
    with on_commit(execute=True):
        inbox.resolve_conversation(alice_store, shopper.conversation.pk, alice_agent, ask_rating=True)
    mail.outbox.clear()
    assert shopper.say(payload="inbox:transcript") == ["We've emailed this chat to dana@example.com."]
    [email] = mail.outbox
    assert email.to == ["dana@example.com"] and not email.alternatives  # text only, never HTML
    assert "You: <b>my order</b> & stuff" in email.body and "Agnes: Sorted!" in email.body
    assert "VIP" not in email.body
    assert Event.objects.filter(conversation_id=shopper.conversation.pk, name="transcript_sent").count() == 1


def test_an_agent_emails_the_transcript_only_when_the_shopper_gave_an_email(alice_store, alice_agent, shopper, on_commit):
    with pytest.raises(ValidationError, match="not given an email"):
        inbox.send_transcript(alice_store, shopper.conversation.pk, alice_agent)
    shopper.conversation.contact.email = "dana@example.com"
    shopper.conversation.contact.save()
    with on_commit(execute=True):
        assert inbox.send_transcript(alice_store, shopper.conversation.pk, alice_agent) == "dana@example.com"
    assert mail.outbox[-1].subject == "Your chat with Alice's Apparel"
    with pytest.raises(ValidationError, match="just emailed"):  # not again right away
        inbox.send_transcript(alice_store, shopper.conversation.pk, alice_agent)
    assert len(mail.outbox) == 1


# --- unread counts and sentiment ------------------------------------------------------------------------------


def _unread(store, user, conversation):
    return {c.pk: c.unread for c in queries.inbox_conversations(store, user, "mine")}[conversation.pk]


def test_unread_counts_are_per_agent_and_reset_when_they_read(alice_store, alice_agent, alice_admin, on_commit):
    shopper = _handed_off(alice_store, alice_agent, on_commit)
    inbox.assign_conversation(alice_store, shopper.conversation.pk, alice_agent, alice_agent.pk)
    shopper.say("first")
    shopper.say("second")
    assert _unread(alice_store, alice_agent, shopper.conversation) == 2
    first = Message.objects.get(conversation=shopper.conversation, text="first")
    assert inbox.mark_read(alice_store, shopper.conversation.pk, alice_agent, first.pk) == 1
    assert inbox.mark_read(alice_store, shopper.conversation.pk, alice_agent, 0) == 1  # never moves back
    assert inbox.mark_read(alice_store, shopper.conversation.pk, alice_agent, 10**12) == 0  # capped at the latest
    shopper.say("third")
    assert _unread(alice_store, alice_agent, shopper.conversation) == 1
    inbox.assign_conversation(alice_store, shopper.conversation.pk, alice_admin, alice_admin.pk)
    assert _unread(alice_store, alice_admin, shopper.conversation) == 3  # Adam has read nothing yet


def test_each_shopper_message_keeps_its_sentiment_and_the_panel_shows_the_trend(alice_store, alice_agent, on_commit):
    shopper = _handed_off(alice_store, alice_agent, on_commit)
    for text in ("I love this shop, great stuff!", "Thanks, wonderful", "Nice", "This is terrible, I hate it",
                 "Awful, worst service ever", "I am very angry"):  # fmt: skip
        shopper.say(text)
    first = Message.objects.get(conversation=shopper.conversation, text="Nice")
    assert first.data["sentiment"]["label"] == "positive"
    mood = queries.summary(shopper.refresh())["sentiment"]
    assert mood["latest"]["label"] == "negative" and mood["trend"] == "worsening"
    history = queries.conversation_history(alice_store, shopper.conversation.pk)
    assert history[-1]["sentiment"]["label"] == "negative"


def test_another_stores_agent_cannot_mark_read_send_cards_or_email_the_transcript(
    alice_store, bob_store, bob, alice_shop_mirror, shopper
):
    shopper.conversation.contact.email = "dana@example.com"
    shopper.conversation.contact.save()
    with pytest.raises(Http404):
        inbox.mark_read(bob_store, shopper.conversation.pk, bob)
    with pytest.raises(ValidationError):  # Alice's products are not in Bob's catalog
        inbox.send_products(bob_store, shopper.conversation.pk, bob, product_ids=["101"])
    with pytest.raises(PermissionDenied):
        inbox.send_transcript(bob_store, shopper.conversation.pk, bob)
    assert inbox.search_catalog(bob_store, "linen shirt") == []
    assert not mail.outbox and not Message.objects.filter(conversation=shopper.conversation, sender=Sender.AGENT)
