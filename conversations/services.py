"""Every write to contacts, conversations and messages (bot turns are in ``conversations/turns.py``).

Broadcasts and Celery tasks are sent only after the transaction commits, and only from here.
"""

import logging
import math
import re
import unicodedata
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from analytics.services import EventRecord, move_contact_events, record_events
from conversations import presence
from conversations.models import Channel, Contact, Conversation, HeldBy, Message, Segment, Sender, Status
from conversations.payloads import conversation_payload, message_payload
from conversations.realtime import broadcast_on_commit, conversation_group, store_group
from flows.nodes.base import MAX_TEXT
from flows.understanding.sentiment import sentiment
from integrations import outbound
from integrations.queries import get_customer_by_platform_id
from tenants.models import Store

logger = logging.getLogger(__name__)
MAX_ATTRIBUTES = 100
ATTRIBUTE_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
MAX_ATTRIBUTE_VALUE = 500
CONTACT_FIELDS = {"name": 150, "email": 254, "phone": 32}
AFTER_CHAT_PREFIX = "inbox:"  # postbacks of the buttons the inbox sends on resolve (rating, transcript)


# --- contacts -----------------------------------------------------------------------------------


NEW_VISIT_AFTER = timedelta(minutes=30)  # a visitor seen again after this long is on a new visit


def get_or_create_contact(store: Store, *, visitor_id: str | None = None) -> Contact:
    """The contact behind a (verified) visitor id, counting a new visit; a new contact when there is none."""
    now = timezone.now()
    if visitor_id:
        contact = Contact.objects.filter(store=store, visitor_id=visitor_id).first()
        if contact is not None:
            new_visit = contact.last_seen_at < now - NEW_VISIT_AFTER
            Contact.objects.filter(pk=contact.pk).update(
                last_seen_at=now, visits=F("visits") + (1 if new_visit else 0)
            )
            contact = Contact.objects.select_related("customer", "store").get(pk=contact.pk)
            _resegment(contact)
            return contact
    return Contact.objects.create(store=store)


def segment_of(contact: Contact) -> str:
    """High value and loyal come from the verified customer's orders (thresholds are Store fields)."""
    customer, store = contact.customer, contact.store
    if customer is not None and customer.amount_spent >= store.high_value_spend:
        return Segment.HIGH_VALUE
    if customer is not None and customer.orders_count >= store.loyal_after_orders:
        return Segment.LOYAL
    return Segment.RETURNING if contact.visits > 1 else Segment.NEW


def _resegment(contact: Contact) -> None:
    segment = segment_of(contact)
    if contact.segment != segment:
        contact.segment = segment
        contact.save(update_fields=["segment"])


@transaction.atomic
def identify_contact(contact: Contact, *, customer_id: str, email: str = "", name: str = "") -> Contact:
    """Attach a verified store customer to this browser's contact.

    If the customer already has a contact (another device), that contact wins: this browser's open
    conversations move to it and the anonymous contact is removed, so the customer sees one history.
    A contact that belongs to another customer (a shared computer) is never taken over: the customer
    gets their own contact and nothing of the other one's.
    Call only with a customer id whose signature was checked.
    """
    store = contact.store
    known = Contact.objects.select_for_update().filter(store=store, platform_customer_id=customer_id).first()
    if contact.platform_customer_id and contact.platform_customer_id != customer_id:
        contact = known or Contact.objects.create(store=store)
    elif known is not None and known.pk != contact.pk:
        Conversation.objects.filter(store=store, contact=contact).update(contact=known)
        move_contact_events(store, contact.pk, known.pk)
        Contact.objects.filter(pk=contact.pk, store=store).delete()
        contact = known
    contact.platform_customer_id = customer_id
    contact.customer = get_customer_by_platform_id(store, customer_id)
    contact.email = contact.email or email
    contact.name = contact.name or name or (contact.customer.name if contact.customer else "")
    contact.segment = segment_of(contact)
    contact.save(update_fields=["platform_customer_id", "customer", "email", "name", "segment"])
    return contact


def clean_attributes(attributes: Any) -> dict[str, Any]:
    """Attributes are a flat object of short names to text, numbers, booleans or null."""
    if not isinstance(attributes, dict):
        raise ValidationError("Attributes must be an object of names to values.")
    cleaned = {}
    for key, value in attributes.items():
        if not isinstance(key, str) or not ATTRIBUTE_KEY.match(key):
            raise ValidationError(f"{str(key)[:70]!r} is not a valid attribute name (letters, digits and _).")
        if isinstance(value, str):
            value = value[:MAX_ATTRIBUTE_VALUE]
        elif value is not None and not isinstance(value, bool | int | float):
            raise ValidationError(f"The attribute {key!r} must be text, a number, true/false or null.")
        elif isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(f"The attribute {key!r} must be a finite number.")
        cleaned[key] = value
    return cleaned


@transaction.atomic
def set_contact_attributes(contact: Contact, attributes: dict[str, Any]) -> Contact:
    """Merge attributes into the contact (``None`` removes one). Bounded in number and size."""
    cleaned = clean_attributes(attributes)
    contact = Contact.objects.select_for_update().get(pk=contact.pk, store=contact.store)
    merged = {**contact.attributes, **cleaned}
    merged = {k: v for k, v in merged.items() if v is not None}
    if len(merged) > MAX_ATTRIBUTES:
        raise ValidationError(f"A contact can have at most {MAX_ATTRIBUTES} attributes.")
    contact.attributes = merged
    contact.save(update_fields=["attributes"])
    return contact


def _apply_contact_change(contact: Contact, key: str, value: Any) -> str:
    if key.startswith("attributes."):
        merged = {**contact.attributes, **clean_attributes({key[11:]: value})}
        if len(merged) > MAX_ATTRIBUTES:
            raise ValidationError(f"A contact can have at most {MAX_ATTRIBUTES} attributes.")
        contact.attributes = merged
        return "attributes"
    if key not in CONTACT_FIELDS:
        raise ValidationError(f"{key!r} is not a contact field.")
    value = str(value or "").strip()
    if key == "email" and value:
        validate_email(value)
        value = value.lower()
    setattr(contact, key, value[: CONTACT_FIELDS[key]])
    return key


def apply_contact_changes(contact: Contact, changes: dict[str, Any], add_tags=(), remove_tags=()) -> None:
    """Store what a flow learned about the contact. Call inside a transaction, with the contact locked."""
    fields = set()
    had_lead = bool(contact.email or contact.phone)
    for key, value in changes.items():
        try:
            fields.add(_apply_contact_change(contact, key, value))
        except ValidationError as exc:  # a flow saved something unusable: keep the rest, log this one
            logger.warning("Contact %s: not saving %s: %s", contact.pk, key, exc.messages[0])
    if add_tags or remove_tags:
        tags = [t for t in contact.tags if t not in set(remove_tags)]
        tags += [str(t)[:50] for t in add_tags if str(t)[:50] not in tags]
        contact.tags = tags[:50]
        fields.add("tags")
    if fields:
        contact.save(update_fields=sorted(fields))
    if not had_lead and (contact.email or contact.phone):
        _emit(contact.store, "lead.captured", contact)


# --- conversations and messages -----------------------------------------------------------------


def clean_text(text: Any) -> str:
    """Shopper and agent text: real text, not empty, not huge, not binary."""
    if not isinstance(text, str):
        raise ValidationError("Send the message as text.", code="bad_frame")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"Messages can be at most {MAX_TEXT} characters.", code="too_large")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("The message is not valid text.", code="bad_frame") from None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if controls:
        raise ValidationError("The message contains binary data.", code="bad_frame")
    text = text.strip()
    if not text:
        raise ValidationError("The message is empty.", code="bad_frame")
    return text


def clean_client_id(client_id: Any) -> str:
    if not isinstance(client_id, str) or not (1 <= len(client_id) <= 64):
        raise ValidationError("Each message needs a client_id of 1 to 64 characters.", code="bad_frame")
    return client_id


@transaction.atomic
def start_conversation(contact: Contact, *, channel: str = Channel.WEB, context: dict | None = None) -> Conversation:
    """Open a conversation; the bot greets the shopper (after commit) with the store's default flow."""
    conversation = Conversation.objects.create(
        store=contact.store, contact=contact, channel=channel, context=context or {}, last_message_at=timezone.now()
    )
    started = EventRecord("conversation_started", {"channel": channel}, conversation.pk, contact.pk)
    record_events(contact.store, [started])  # analytics counts conversations (and their shoppers) from this
    _enqueue_bot_turn(conversation)
    return conversation


def _enqueue_bot_turn(conversation: Conversation) -> None:
    from conversations.tasks import advance_bot

    conversation_id = conversation.pk
    transaction.on_commit(lambda: advance_bot.delay(conversation_id))


def post_shopper_message(
    conversation: Conversation, *, text: Any, client_id: Any, payload: str = ""
) -> tuple[Message, bool]:
    """Store the shopper's message (idempotent on ``client_id``); notify and run the bot after commit.

    This is on every shopper message's path, so it costs one read, one insert and one update.
    """
    text, client_id = clean_text(text), clean_client_id(client_id)
    try:
        with transaction.atomic():
            return _store_shopper_message(conversation, text, client_id, payload[:200]), True
    except IntegrityError:  # the same client id again: a re-send of a message already stored
        return Message.objects.get(store=conversation.store, conversation=conversation, client_id=client_id), False


def _store_shopper_message(conversation: Conversation, text: str, client_id: str, payload: str) -> Message:
    # Who holds it now, not when the caller loaded it: a bot turn may have just handed it off.
    current = Conversation.objects.filter(pk=conversation.pk, store=conversation.store)
    state = current.values("status", "held_by", "snoozed_until", "collecting_email").get()
    if state["status"] == Status.RESOLVED:  # the shopper came back: the bot picks it up again
        fresh = Conversation.objects.select_related("assignee").get(pk=conversation.pk)
        _update_conversation(fresh, status=Status.OPEN, held_by=HeldBy.BOT, assignee=None, resolved_at=None)
        state = {**state, "status": Status.OPEN, "held_by": HeldBy.BOT}
    bot_answers = state["held_by"] == HeldBy.BOT
    message = Message.objects.create(
        store=conversation.store, conversation=conversation, client_id=client_id, sender=Sender.SHOPPER, text=text,
        payload=payload, bot_handled_at=None if bot_answers else timezone.now(), data={"sentiment": sentiment(text)},
    )  # fmt: skip
    current.update(last_message_at=message.created_at, snoozed_until=None)
    _broadcast_message(conversation, message_payload(message), sentiment=message.data["sentiment"])
    if state["snoozed_until"] is not None:  # a shopper message wakes a snoozed conversation
        woke = {"id": conversation.pk, "status": state["status"], "held_by": state["held_by"], "woke": True}
        broadcast_on_commit(store_group(conversation.store_id), "inbox.changed", woke)
    if bot_answers:
        _enqueue_bot_turn(conversation)
    elif state["collecting_email"]:
        from conversations.away import take_email

        take_email(conversation, message)
    return message


def post_shopper_postback(conversation: Conversation, *, payload: Any, client_id: Any) -> tuple[Message, bool]:
    """A pressed button: stored as the shopper saying the button's title, carrying its payload."""
    if not isinstance(payload, str) or not (1 <= len(payload) <= 200):
        raise ValidationError("A postback needs a payload of 1 to 200 characters.", code="bad_frame")
    if payload.startswith(AFTER_CHAT_PREFIX):  # a rating or transcript button from the inbox's resolve
        from conversations.followup import take_postback

        return take_postback(conversation, payload=payload, client_id=clean_client_id(client_id))
    title = button_title(conversation, payload) or payload
    return post_shopper_message(conversation, text=title, client_id=client_id, payload=payload)


def button_title(conversation: Conversation, payload: str) -> str:
    recent = Message.objects.filter(conversation=conversation, store=conversation.store).exclude(buttons=[])
    for buttons in recent.order_by("-id").values_list("buttons", flat=True)[:20]:
        for button in buttons:
            if button.get("payload") == payload:
                return button.get("title", "")
    return ""


def post_bot_messages(conversation: Conversation, replies, *, proactive: str = "") -> list[Message]:
    """Store bot replies (``flows.nodes.base.Reply``) in one insert, in order; broadcast them after commit.

    ``proactive`` ("teaser" or "open") marks messages the bot sent by itself, for the widget to show."""
    messages = Message.objects.bulk_create([
        Message(
            store=conversation.store, conversation=conversation, sender=Sender.BOT, text=reply.text[:MAX_TEXT],
            buttons=[{"title": b.title, "payload": b.payload} for b in reply.buttons],
            cards=[card_data(c) for c in reply.cards], image_url=reply.image_url[:2000], proactive=proactive,
        )
        for reply in replies
    ])  # fmt: skip
    for message in messages:
        payload = message_payload(message)
        _broadcast_message(conversation, payload)
    return messages


def card_data(card) -> dict:
    """A ``flows.nodes.base.Card`` as the widget protocol's ``cards`` entry."""
    return {
        "product_id": str(card.product_id), "variant_id": str(card.variant_id or ""), "title": card.title,
        "price": str(card.price), "currency": card.currency, "image_url": card.image_url, "url": card.url,
        "in_stock": bool(card.in_stock), "variants": [dict(v) for v in card.variants],
    }  # fmt: skip


@transaction.atomic
def post_agent_message(conversation: Conversation, *, author, text: Any, client_id: str = "", cards=()) -> Message:
    """An agent's reply (``cards``: product cards, then the text may be empty). Replying takes the conversation
    from the bot (and reopens a resolved one); an agent cannot reply over a teammate who holds it (they take it
    over first). Call with the conversation locked."""
    text = clean_text(text) if text or not cards else ""
    holder = conversation.assignee_id
    if conversation.held_by == HeldBy.AGENT and holder and author is not None and holder != author.pk:
        name = conversation.assignee.display_name
        raise ValidationError(f"{name} holds this conversation; take it over to reply.", code="held")
    first_reply = not Message.objects.filter(conversation=conversation, sender=Sender.AGENT).exists()
    message = Message.objects.create(
        store=conversation.store, conversation=conversation, sender=Sender.AGENT, author=author, text=text,
        client_id=client_id[:64], cards=[card_data(c) for c in cards],
    )  # fmt: skip
    changes = {"last_message_at": message.created_at}
    if conversation.held_by != HeldBy.AGENT or conversation.assignee_id is None:
        changes.update(held_by=HeldBy.AGENT, assignee=author)
    if conversation.status == Status.RESOLVED:
        changes.update(status=Status.OPEN, resolved_at=None)
    _update_conversation(conversation, **changes)
    payload = message_payload(message)
    _broadcast_message(conversation, payload)
    if first_reply:
        data = {"agent_id": author.pk if author else None}
        event = EventRecord("first_agent_reply", data, conversation.pk, conversation.contact_id)
        record_events(conversation.store, [event])
    return message


def _emit(store: Store, event: str, contact: Contact, conversation: Conversation | None = None, **extra) -> None:
    """Tell the store's webhook endpoints (sent after commit; nothing is sent if this transaction rolls back)."""
    data = {"contact": {"id": contact.pk, "name": contact.name, "email": contact.email, "phone": contact.phone},
            **({"conversation": {"id": conversation.pk, "status": conversation.status}} if conversation else {}),
            **extra}  # fmt: skip
    outbound.emit(store, event, data)


def _broadcast_message(conversation: Conversation, payload: dict, **for_agents) -> None:
    """To the shopper's room, and to the store's inbox (with the conversation's id and ``for_agents``)."""
    broadcast_on_commit(conversation_group(conversation), "conversation.message", payload)
    inbox_payload = {"conversation_id": conversation.pk, **payload, **for_agents}
    broadcast_on_commit(store_group(conversation.store_id), "inbox.activity", inbox_payload)


def _update_conversation(conversation: Conversation, **changes) -> None:
    """Save changes; when who holds it or its status changes, tell the room and the inbox after commit."""
    noticed = any(getattr(conversation, k) != v for k, v in changes.items() if k in ("held_by", "status", "assignee"))
    for key, value in changes.items():
        setattr(conversation, key, value)
    conversation.save(update_fields=list(changes))
    if "status" in changes and changes["status"] == Status.RESOLVED and noticed:
        _emit(conversation.store, "conversation.resolved", conversation.contact, conversation)
    if noticed:
        payload = conversation_payload(conversation)
        broadcast_on_commit(conversation_group(conversation), "conversation.changed", payload)
        inbox_payload = {**payload, "assignee_id": conversation.assignee_id}
        broadcast_on_commit(store_group(conversation.store_id), "inbox.changed", inbox_payload)


def hand_off(conversation: Conversation, *, reason: str = "") -> None:
    """Give the conversation to the team: the bot stops answering until it is handed back.

    It goes to the next online agent by round robin, or waits in "needs a human" when nobody is online. Outside
    the store's business hours it waits there too, and the bot says when a person will answer
    (``conversations/away.py``).
    """
    if conversation.held_by != HeldBy.AGENT:
        from conversations.away import closed_until, say_when_people_answer

        opens = closed_until(conversation.store)  # outside business hours it waits in "needs a human"
        _update_conversation(
            conversation, held_by=HeldBy.AGENT, handed_off_at=timezone.now(), status=Status.OPEN,
            assignee=None if opens else next_online_agent(conversation.store), handoff_alerted_at=None,
            snoozed_until=None, collecting_email=False,
        )  # fmt: skip
        if opens:
            say_when_people_answer(conversation, opens)
        _emit(conversation.store, "handoff.requested", conversation.contact, conversation, reason=reason[:200])


def next_online_agent(store: Store):
    """The online teammate after the one who got the last handoff (round robin), or None."""
    from tenants.models import Membership

    online = presence.online_agent_ids(store.pk)
    members = list(
        Membership.objects.filter(store=store, user_id__in=online).select_related("user").order_by("user_id")
    )
    if not members:
        return None
    key = f"routing:store:{store.pk}:last"
    last = cache.get(key) or 0
    chosen = next((m for m in members if m.user_id > last), members[0]).user
    cache.set(key, chosen.pk, None)
    return chosen


@transaction.atomic
def rate_conversation(conversation: Conversation, *, rating: Any, comment: str = "", source: str = "bot") -> None:
    """The shopper's 1-5 rating of the conversation, from the bot's end node or the inbox's survey."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError("A rating is a whole number from 1 to 5.")
    _update_conversation(conversation, rating=rating, rating_comment=(comment or "")[:1000], rated_at=timezone.now())
    _emit(conversation.store, "rating.given", conversation.contact, conversation, rating=rating,
          comment=(comment or "")[:1000])
    record_events(
        conversation.store,
        [EventRecord("rating", {"rating": rating, "source": source}, conversation.pk, conversation.contact_id)],
    )
