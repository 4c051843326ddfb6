"""The agent inbox's writes: take over, hand back, assign, resolve and reopen, private notes, snooze, product
cards, transcripts and read markers.

Every write locks the conversation row first (the bot turn in ``conversations/turns.py`` holds the same
lock for its whole turn), so two agents clicking "take over" at once are served one after the other and
exactly one wins. A takeover first raises a flag in the cache, without waiting for the lock: a bot turn
already running checks it before storing replies, so it sends nothing once an agent has stepped in.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from analytics.services import EventRecord, record_events
from conversations import followup, presence, queries
from conversations.models import Conversation, ConversationRead, HeldBy, Message, Sender, Status
from conversations.payloads import conversation_payload, message_payload
from conversations.phrases import phrase
from conversations.realtime import broadcast_on_commit, member_group, store_group
from conversations.services import (
    _enqueue_bot_turn,
    _update_conversation,
    card_data,
    clean_text,
    post_agent_message,
)
from conversations.shop import card_for
from flows import engine
from integrations.queries import get_products_by_platform_ids, search_products
from tenants.models import Membership, Store

TAKEOVER_FLAG_TTL = 60  # seconds; longer than any bot turn, cleared as soon as the takeover commits


def _flag_key(conversation_id: int) -> str:
    return f"takeover:conv:{conversation_id}"


def takeover_pending(conversation_id: int) -> bool:
    """True while an agent is taking the conversation over: a running bot turn must not store replies."""
    return bool(cache.get(_flag_key(conversation_id)))


def _locked(store: Store, conversation_id: int) -> Conversation:
    # No joins: a row locked after waiting is re-read fresh, but joined rows would be from before the wait.
    rows = Conversation.objects.select_for_update()
    conversation = rows.filter(store=store, pk=conversation_id).first()
    if conversation is None:
        raise PermissionDenied("No such conversation in this store.")
    return conversation


def _event(conversation: Conversation, name: str, agent, **data) -> None:
    data = {"agent_id": agent.pk if agent else None, **data}
    record_events(conversation.store, [EventRecord(name, data, conversation.pk, conversation.contact_id)])


def is_member(store: Store, user) -> bool:
    return bool(user and user.is_authenticated and Membership.objects.filter(store=store, user=user).exists())


def take_over(store: Store, conversation_id: int, agent, *, force: bool = False) -> Conversation:
    """The agent answers from now on; the bot stops at once. Refused if another agent holds it (unless forced)."""
    if not Conversation.objects.filter(store=store, pk=conversation_id).exists():  # no flag on another store's
        raise PermissionDenied("No such conversation in this store.")
    cache.set(_flag_key(conversation_id), agent.pk, TAKEOVER_FLAG_TTL)
    try:
        with transaction.atomic():
            conversation = _locked(store, conversation_id)
            holder = conversation.assignee if conversation.assignee_id else None
            if conversation.held_by == HeldBy.AGENT and holder is not None and holder.pk != agent.pk and not force:
                raise ValidationError(f"{holder.display_name} holds this conversation.", code="held")
            if conversation.held_by == HeldBy.BOT:  # the flow ends here, so a hand-back starts clean
                conversation.flow_state = {**conversation.flow_state, **engine.ended_state()}
            _update_conversation(
                conversation, held_by=HeldBy.AGENT, assignee=agent, status=Status.OPEN, resolved_at=None,
                flow_state=conversation.flow_state, pending_effect={}, wake_at=None,
            )  # fmt: skip
            _event(conversation, "takeover", agent, forced=bool(force and holder and holder.pk != agent.pk))
            return conversation
    finally:
        cache.delete(_flag_key(conversation_id))


@transaction.atomic
def hand_back(store: Store, conversation_id: int, agent, *, flow_id: int | None = None) -> Conversation:
    """Give the conversation back to the bot, optionally starting one of the store's published flows now."""
    conversation = _locked(store, conversation_id)
    state = {**conversation.flow_state, **engine.ended_state()}
    changes: dict[str, Any] = {"held_by": HeldBy.BOT, "assignee": None, "handed_off_at": None}
    if flow_id is not None:
        from flows.queries import load_published

        if load_published(store, flow_id) is None:
            raise ValidationError("Choose one of the store's published flows.", code="bad_flow")
        state["start_flow_id"], changes["bot_started"] = flow_id, False
    _update_conversation(conversation, flow_state=state, **changes)
    _event(conversation, "hand_back", agent, flow_id=flow_id)
    if flow_id is not None:
        _enqueue_bot_turn(conversation)
    return conversation


@transaction.atomic
def assign_conversation(store: Store, conversation_id: int, agent, assignee_id: Any) -> Conversation:
    """Assign (or transfer) the conversation to a teammate of this store; they hold it from now on."""
    membership = Membership.objects.select_related("user").filter(store=store, user_id=assignee_id).first()
    if membership is None or not isinstance(assignee_id, int):
        raise ValidationError("Assign the conversation to a member of this store.", code="bad_assignee")
    conversation = _locked(store, conversation_id)
    _update_conversation(conversation, held_by=HeldBy.AGENT, assignee=membership.user, status=Status.OPEN)
    _event(conversation, "assign", agent, assignee_id=membership.user_id)
    return conversation


@transaction.atomic
def resolve_conversation(store: Store, conversation_id: int, agent, *, ask_rating: bool = False) -> Conversation:
    """Resolve; with ``ask_rating`` the shopper gets a 1-5 rating prompt (``conversations/followup.py``)."""
    conversation = _locked(store, conversation_id)
    if conversation.status != Status.RESOLVED:
        _update_conversation(conversation, status=Status.RESOLVED, resolved_at=timezone.now(), snoozed_until=None)
        _event(conversation, "resolve", agent)
        if ask_rating:
            followup.ask_for_rating(conversation, agent)
    return conversation


@transaction.atomic
def reopen_conversation(store: Store, conversation_id: int, agent) -> Conversation:
    conversation = _locked(store, conversation_id)
    if conversation.status != Status.OPEN:
        _update_conversation(conversation, status=Status.OPEN, resolved_at=None)
        _event(conversation, "reopen", agent)
    return conversation


@transaction.atomic
def add_note(store: Store, conversation_id: int, author, *, text: Any) -> Message:
    """A private note for the team. Sent to the store's inbox group only: never to the shopper's room."""
    text = clean_text(text)
    conversation = _locked(store, conversation_id)
    note = Message.objects.create(store=store, conversation=conversation, sender=Sender.NOTE, author=author, text=text)
    payload = {"conversation_id": conversation.pk, **message_payload(note)}
    broadcast_on_commit(store_group(store.pk), "inbox.note", payload)
    return note


def reply(store: Store, conversation_id: int, agent, *, text: Any, client_id: str = "") -> Message:
    """An agent's reply from the inbox; refused while another agent holds the conversation."""
    with transaction.atomic():
        conversation = _locked(store, conversation_id)
        return post_agent_message(conversation, author=agent, text=text, client_id=client_id)


MAX_SNOOZE = timedelta(days=90)


def _snooze_time(until: Any) -> datetime:
    moment = parse_datetime(until) if isinstance(until, str) else None
    if moment is None:
        raise ValidationError("Give the time to snooze until, e.g. 2026-03-01T09:00:00+01:00.", code="bad_frame")
    if timezone.is_naive(moment):
        raise ValidationError("Give the snooze time with its time zone offset.", code="bad_frame")
    now = timezone.now()
    if not now < moment <= now + MAX_SNOOZE:
        raise ValidationError("Snooze until a time in the next 90 days.", code="bad_snooze")
    return moment


@transaction.atomic
def snooze_conversation(store: Store, conversation_id: int, agent, *, until: Any) -> Conversation:
    """Out of the active views until ``until`` (an ISO time with offset): the beat sweep, or the shopper writing,
    brings it back. A resolved conversation cannot be snoozed."""
    moment = _snooze_time(until)
    conversation = _locked(store, conversation_id)
    if conversation.status == Status.RESOLVED:
        raise ValidationError("Reopen the conversation to snooze it.", code="resolved")
    conversation.snoozed_until = moment
    conversation.save(update_fields=["snoozed_until"])
    _event(conversation, "snooze", agent, until=moment.isoformat())
    broadcast_on_commit(store_group(store.pk), "inbox.changed", _changed(conversation))
    return conversation


@transaction.atomic
def unsnooze_conversation(store: Store, conversation_id: int, agent) -> Conversation:
    conversation = _locked(store, conversation_id)
    if conversation.snoozed_until is not None:
        conversation.snoozed_until = None
        conversation.save(update_fields=["snoozed_until"])
        _event(conversation, "unsnooze", agent)
        broadcast_on_commit(store_group(store.pk), "inbox.changed", _changed(conversation))
    return conversation


def _changed(conversation: Conversation) -> dict:
    payload = {**conversation_payload(conversation), "assignee_id": conversation.assignee_id}
    payload["snoozed_until"] = conversation.snoozed_until.isoformat() if conversation.snoozed_until else None
    return payload


def search_catalog(store: Store, text: Any, *, limit: int = 8) -> list[dict]:
    """Product cards for the inbox's catalog search (the shop's mirror, ranked like the bot's search)."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("Type what to search for.", code="bad_frame")
    products = search_products(store, text.strip()[:200], limit=limit)
    return [card_data(card_for(p, store.currency, store)) for p in products]


def send_products(store: Store, conversation_id: int, agent, *, product_ids: Any, text: Any = "",
                  client_id: str = "") -> Message:  # fmt: skip
    """Send product cards (by the shop's product ids, from ``search_catalog``) as the agent's message."""
    if not isinstance(product_ids, list) or not 1 <= len(product_ids) <= 10:
        raise ValidationError("Choose 1 to 10 products to send.", code="bad_frame")
    if not all(isinstance(p, str | int) and not isinstance(p, bool) for p in product_ids):
        raise ValidationError("Name the products by their ids.", code="bad_frame")
    wanted = [str(p) for p in product_ids]
    found = {p.platform_id: p for p in get_products_by_platform_ids(store, wanted)}
    if len(found) != len(set(wanted)):
        raise ValidationError("Some of those products are not in this store's catalog.", code="bad_products")
    cards = [card_for(found[p], store.currency, store) for p in dict.fromkeys(wanted)]
    with transaction.atomic():
        conversation = _locked(store, conversation_id)
        text = text or phrase(conversation, "products")  # the widget shows a message's text above its cards
        return post_agent_message(conversation, author=agent, text=text, client_id=client_id, cards=cards)


@transaction.atomic
def send_transcript(store: Store, conversation_id: int, agent) -> str:
    """Email the transcript to the shopper (plain text, after commit); returns the address."""
    conversation = _locked(store, conversation_id)
    return followup.email_transcript(conversation, requested_by="agent", agent=agent)


def mark_read(store: Store, conversation_id: int, user, message_id: Any = None) -> int:
    """The agent has read the conversation up to ``message_id`` (default: its latest). Never moves back.
    Returns the agent's unread count left, and tells their other inbox tabs."""
    conversation = queries.access_conversation(store, conversation_id)
    latest = Message.objects.filter(store=store, conversation=conversation).order_by("-id").values_list("id", flat=True)
    newest = latest.first() or 0
    upto = min(message_id, newest) if isinstance(message_id, int) and not isinstance(message_id, bool) else newest
    with transaction.atomic():
        read, _ = ConversationRead.objects.select_for_update().get_or_create(
            store=store, conversation=conversation, user=user
        )
        if upto > read.last_read_id:
            read.last_read_id = upto
            read.save(update_fields=["last_read_id"])
        left = queries.unread_count(store, conversation.pk, read.last_read_id)
        payload = {"conversation_id": conversation.pk, "unread": left}
        broadcast_on_commit(member_group(store.pk, user.pk), "inbox.read", payload)
    return left


def close_removed_members_sockets(sender, *, store_id: int, user_id: int, **kwargs) -> None:
    """``tenants.signals.member_removed`` (after the removal commits): their inbox sockets close at once."""
    presence.mark_agent_offline(store_id, user_id)
    broadcast_on_commit(member_group(store_id, user_id), "member.removed", {})
