"""After the chat: the 1-5 rating prompt sent on resolve, and the transcript emailed to the shopper.

The prompt is a bot message with buttons whose payloads start with ``inbox:``. Pressing one is stored as the
shopper's message (idempotent on its client id) but does not reopen the conversation or wake the bot: a
rating goes to ``services.rate_conversation``; "email me this chat" sends the transcript. Only a button
the conversation was actually offered counts.

Transcripts are plain text: what the shopper, the bot and the team said (never private notes), sent
after commit by a Celery task that re-reads the conversation.
"""

import zoneinfo
from contextlib import suppress

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from analytics.services import EventRecord, record_events
from conversations.models import SHOPPER_VISIBLE, Conversation, Message, Sender
from conversations.phrases import phrase
from flows.nodes.base import Button, Reply

RATE = "inbox:rate:"
TRANSCRIPT = "inbox:transcript"
TRANSCRIPT_EVERY = 300  # seconds between two transcripts of one conversation



def ask_for_rating(conversation: Conversation, agent) -> Message:
    """Send the rating prompt (and "email me this chat" when we know the shopper's email). Call locked."""
    from conversations.services import post_bot_messages

    buttons = [Button("★" * n, f"{RATE}{n}") for n in range(1, 6)]
    if conversation.contact.email:
        buttons.append(Button(phrase(conversation, "transcript_button"), TRANSCRIPT))
    record_events(conversation.store, [EventRecord("rating_requested", {"agent_id": getattr(agent, "pk", None)},
                                                   conversation.pk, conversation.contact_id)])  # fmt: skip
    return post_bot_messages(conversation, [Reply.message(phrase(conversation, "rating_ask"), buttons=buttons)])[0]


def take_postback(conversation: Conversation, *, payload: str, client_id: str) -> tuple[Message, bool]:
    """A rating or transcript button pressed in the widget: stored, acted on, answered; never reopens."""
    from conversations.services import button_title

    title = button_title(conversation, payload)
    rating = payload.removeprefix(RATE) if payload.startswith(RATE) else ""
    if not title or not (payload == TRANSCRIPT or rating in {"1", "2", "3", "4", "5"}):
        raise ValidationError("That button is not offered in this conversation.", code="bad_frame")
    try:
        with transaction.atomic():
            return _press(conversation, title, payload, client_id, int(rating) if rating else None), True
    except IntegrityError:  # the same client id again: already done
        return Message.objects.get(store=conversation.store, conversation=conversation, client_id=client_id), False


def _press(conversation, title: str, payload: str, client_id: str, rating: int | None) -> Message:
    from conversations.payloads import message_payload
    from conversations.services import _broadcast_message, post_bot_messages, rate_conversation

    locked = Conversation.objects.select_for_update().select_related("store", "contact").get(pk=conversation.pk)
    message = Message.objects.create(
        store=locked.store, conversation=locked, client_id=client_id, sender=Sender.SHOPPER, text=title,
        payload=payload, bot_handled_at=timezone.now(),
    )  # fmt: skip
    _broadcast_message(locked, message_payload(message))
    if rating is not None:
        rate_conversation(locked, rating=rating, source="inbox")
        answer = phrase(locked, "rating_thanks")
    elif locked.contact.email:
        with suppress(ValidationError):  # just sent: the shopper hears the same answer, and gets one email
            email_transcript(locked, requested_by="shopper")
        answer = phrase(locked, "transcript_sent", email=locked.contact.email)
    else:
        answer = phrase(locked, "transcript_no_email")
    post_bot_messages(locked, [Reply.message(answer)])
    return message


def email_transcript(conversation: Conversation, *, requested_by: str, agent=None) -> str:
    """Email the transcript to the shopper's address after commit; returns the address. Call inside a transaction."""
    from conversations.tasks import send_transcript

    email = conversation.contact.email
    if not email:
        raise ValidationError("The shopper has not given an email address.", code="no_email")
    # One transcript per conversation every few minutes: pressing again does not flood the shopper's inbox.
    if not cache.add(f"transcript:conv:{conversation.pk}", 1, TRANSCRIPT_EVERY):
        raise ValidationError("The transcript was just emailed; try again in a few minutes.", code="too_soon")
    conversation_id = conversation.pk
    transaction.on_commit(lambda: send_transcript.delay(conversation_id))
    data = {"requested_by": requested_by, "agent_id": getattr(agent, "pk", None)}
    record_events(conversation.store, [EventRecord("transcript_sent", data, conversation.pk, conversation.contact_id)])
    return email


def transcript_text(conversation: Conversation) -> str:
    """The conversation as plain text, oldest first: shopper, bot and team messages, never private notes."""
    store = conversation.store
    lines = [f"Your chat with {store.name}", ""]
    rows = Message.objects.filter(store=store, conversation=conversation, sender__in=SHOPPER_VISIBLE)
    for message in rows.select_related("author").order_by("id"):
        when = timezone.localtime(message.created_at, _zone(store)).strftime("%Y-%m-%d %H:%M")
        who = {Sender.SHOPPER: "You", Sender.BOT: store.bot_name}.get(message.sender) or (
            message.author.display_name if message.author_id else store.name
        )
        body = message.text or ", ".join(f"{c.get('title', '')} ({c.get('price', '')} {c.get('currency', '')})"
                                         for c in message.cards)  # fmt: skip
        lines.append(f"[{when}] {who}: {body}")
    return "\n".join(lines) + "\n"


def _zone(store) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(store.timezone or "UTC")
