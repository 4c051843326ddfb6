"""The agent inbox's writes: take over, hand back, assign, resolve and reopen, private notes.

Every write locks the conversation row first (the bot turn in ``conversations/turns.py`` holds the same
lock for its whole turn), so two agents clicking "take over" at once are served one after the other and
exactly one wins. A takeover first raises a flag in the cache, without waiting for the lock: a bot turn
already running checks it before storing replies, so it sends nothing once an agent has stepped in.
"""

from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from analytics.services import EventRecord, record_events
from conversations.models import Conversation, HeldBy, Message, Sender, Status
from conversations.payloads import message_payload
from conversations.realtime import broadcast_on_commit, store_group
from conversations.services import _enqueue_bot_turn, _update_conversation, clean_text
from flows import engine
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
def resolve_conversation(store: Store, conversation_id: int, agent) -> Conversation:
    conversation = _locked(store, conversation_id)
    if conversation.status != Status.RESOLVED:
        _update_conversation(conversation, status=Status.RESOLVED, resolved_at=timezone.now())
        _event(conversation, "resolve", agent)
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
    from conversations.services import post_agent_message

    with transaction.atomic():
        conversation = _locked(store, conversation_id)
        return post_agent_message(conversation, author=agent, text=text, client_id=client_id)
