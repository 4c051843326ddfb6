"""Bot turns: run the engine for a conversation and carry its result out in one transaction.

A turn answers every shopper message the bot has not handled yet, in order, so running it twice, or
for a message a crashed worker left behind, is safe. Side effects: a wait is stored as a due time for the
beat sweep; an HTTP call is performed by a task after commit and fed back with ``resume_after_effect``.
"""

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from analytics.services import EventRecord, record_events
from conversations import inbox, presence, shop_effects, timers
from conversations.away import closed_until
from conversations.context import build_context
from conversations.models import Conversation, HeldBy, Message, Sender, Status
from conversations.realtime import batched_broadcasts
from conversations.services import apply_contact_changes, hand_off, post_bot_messages, rate_conversation
from conversations.shop import ShopReader
from flows import engine
from flows.engine import EngineContext, EngineEvent
from flows.nodes.base import CreateDiscount, Handoff, HttpCall, RecordRating, SaveLead, WaitUntil, WatchRestock
from flows.queries import load_default, load_published, load_version
from flows.understanding.serving import read_message

logger = logging.getLogger(__name__)

SWEEP_AFTER = timedelta(seconds=5)  # a shopper message with no bot turn after this is re-run
HTTP_STALE_AFTER = timedelta(minutes=2)  # an HTTP effect no worker finished
HTTP_MAX_ATTEMPTS = 2
GAVE_UP = {"ok": False, "status": None, "json": None, "error": "The call did not finish."}
# Effects a task performs after commit (they wait on the network); the turn waits for their outcome.
REMOTE_EFFECTS = (HttpCall.kind, CreateDiscount.kind)
INLINE_EFFECTS_PER_TURN = 5  # shop writes done inside the turn (a restock watch, a lead) before it stops


def run_bot_turn(conversation_id: int) -> int:
    """Answer the conversation's unhandled shopper messages (and greet, the first time). Returns how many."""
    with transaction.atomic(), batched_broadcasts():
        conversation = _lock(conversation_id)
        if conversation is None:
            return 0
        return _turn(conversation)


def resume_after_effect(conversation_id: int, effect_id: str, outcome: dict[str, Any]) -> bool:
    """Feed a side effect's outcome back to the engine; a stale or repeated outcome is ignored."""
    with transaction.atomic(), batched_broadcasts():
        conversation = _lock(conversation_id)
        if conversation is None or (conversation.pending_effect or {}).get("id") != effect_id:
            return False
        conversation.pending_effect, conversation.wake_at = {}, None
        if conversation.held_by == HeldBy.BOT:
            _feed(conversation, EngineEvent("effect_result", result=outcome, effect_id=effect_id))
        else:  # the team took over meanwhile: the flow ends here, so a hand-back starts clean
            conversation.flow_state = {**conversation.flow_state, **engine.ended_state()}
        _turn(conversation)
        return True


def lock_conversation(conversation_id: int) -> Conversation | None:
    """The conversation and its contact, locked (call inside a transaction), with the store; None if gone."""
    return _lock(conversation_id)


def start_flow(conversation: Conversation, flow_id: int, *, display: str, trigger: dict, now) -> bool:
    """Start the store's published flow ``flow_id`` by itself (a trigger or a campaign): its first messages are
    marked proactive (``display``) and the flow reads ``trigger`` in ``vars.trigger``. Call with the
    conversation locked; returns False when the flow is not published. A new conversation's greeting is
    replaced by this flow."""
    if load_published(conversation.store, flow_id) is None:
        return False
    state = conversation.flow_state or {}
    conversation.bot_started = True
    conversation.flow_state = {
        **state, **engine.ended_state(), "start_flow_id": flow_id, "run_started_at": now.isoformat(),
        "vars": {**(state.get("vars") or {}), "trigger": trigger},
    }  # fmt: skip
    _feed(conversation, EngineEvent("start"), proactive=display)
    conversation.save(update_fields=["bot_started", "flow_state", "pending_effect", "wake_at"])
    return True


def _lock(conversation_id: int) -> Conversation | None:
    # The contact is written by the turn too: lock both rows, in one query.
    rows = Conversation.objects.select_for_update(of=("self", "contact")).select_related("store", "contact")
    return rows.filter(pk=conversation_id).first()


def _turn(conversation: Conversation) -> int:
    handled = 0
    if conversation.held_by == HeldBy.BOT and not conversation.bot_started:
        conversation.bot_started = True
        _feed(conversation, EngineEvent("start"))
    pending = Message.objects.filter(
        conversation=conversation, store=conversation.store, sender=Sender.SHOPPER, bot_handled_at__isnull=True
    ).order_by("id")
    handled_ids = []
    for message in pending:
        if _awaiting_http(conversation):
            break  # the rest wait for the call's outcome, which resumes the turn
        if conversation.held_by == HeldBy.BOT and conversation.status == Status.OPEN:
            kind = "postback" if message.payload else "message"
            _feed(conversation, EngineEvent(kind, text=message.text, payload=message.payload))
            handled += 1
        handled_ids.append(message.pk)
    if handled_ids:
        Message.objects.filter(pk__in=handled_ids).update(bot_handled_at=timezone.now())
    conversation.save(update_fields=["bot_started", "flow_state", "pending_effect", "wake_at"])
    return handled


def _awaiting_http(conversation: Conversation) -> bool:
    return (conversation.pending_effect or {}).get("kind") in REMOTE_EFFECTS


def _flow_for(conversation: Conversation):
    store, state = conversation.store, conversation.flow_state or {}
    if state.get("start_flow_id"):  # an agent handed the conversation back into this flow
        loaded = load_published(store, state["start_flow_id"])
        if loaded is not None:
            return loaded
    if state.get("node") and state.get("version_id"):
        loaded = load_version(store, state["version_id"])
        if loaded is not None:
            return loaded
    return load_default(store)


def _feed(conversation: Conversation, event: EngineEvent, inline: int = 0, *, proactive: str = "") -> None:
    """Run the engine on one event and carry out its result. Call with the conversation locked."""
    store, contact = conversation.store, conversation.contact
    data, faq_answer = build_context(conversation), ""
    if event.kind == "message":
        understood, faq_answer = read_message(store, event.text)
        data.update(understood)
    # Outside business hours nobody counts as online: a handoff node takes its "team offline" path.
    staffed = presence.agents_online(store.pk) and closed_until(store) is None
    ctx = EngineContext(
        data=data, now=timezone.now(), contact_key=contact.visitor_id, faq_answer=faq_answer,
        agents_online=staffed, load_flow=lambda flow_id: load_published(store, flow_id),
        shop=ShopReader(store, contact),
    )  # fmt: skip
    result = engine.run(_flow_for(conversation), conversation.flow_state, event, ctx)
    if result.replies and not inbox.takeover_pending(conversation.pk):  # an agent is stepping in: say nothing
        post_bot_messages(conversation, result.replies, proactive=proactive)
    apply_contact_changes(contact, result.set_contact, result.add_tags, result.remove_tags)
    record_events(store, [
        EventRecord(e.name, dict(e.data), conversation.pk, contact.pk, e.flow_id, e.version_id, e.node_id)
        for e in result.events
    ])  # fmt: skip
    shop_effects.tell_webhooks(conversation, result.events)
    conversation.flow_state = {k: v for k, v in result.state.items() if k != "start_flow_id"}
    if result.effect is not None:
        _start_effect(conversation, result.effect, result.effect_id, inline)


def _start_effect(conversation: Conversation, effect, effect_id: str, inline: int = 0) -> None:
    if isinstance(effect, WaitUntil):
        conversation.pending_effect = {"id": effect_id, "kind": effect.kind}
        conversation.wake_at = effect.due
    elif isinstance(effect, HttpCall):
        conversation.pending_effect = {
            "id": effect_id, "kind": effect.kind, "method": effect.method, "url": effect.url,
            "headers": dict(effect.headers), "body": effect.body, "timeout": effect.timeout,
            "attempts": 0, "started_at": timezone.now().isoformat(),
        }  # fmt: skip
        _perform_on_commit(conversation.pk, effect_id)
    elif isinstance(effect, Handoff):
        hand_off(conversation, reason=effect.reason)
    elif isinstance(effect, RecordRating):
        rate_conversation(conversation, rating=effect.rating, comment=effect.comment, source="bot")
    elif isinstance(effect, CreateDiscount):
        conversation.pending_effect = {
            "id": effect_id, "kind": effect.kind, "percent": effect.percent, "prefix": effect.prefix,
            "valid_days": effect.valid_days, "attempts": 0, "started_at": timezone.now().isoformat(),
        }  # fmt: skip
        _perform_on_commit(conversation.pk, effect_id)
    elif isinstance(effect, WatchRestock | SaveLead):  # a write to our own database: done now, in this turn
        within = inline < INLINE_EFFECTS_PER_TURN
        outcome = shop_effects.perform(conversation, effect) if within else shop_effects.TOO_MANY
        _feed(conversation, EngineEvent("effect_result", result=outcome, effect_id=effect_id), inline + 1)


def _perform_on_commit(conversation_id: int, effect_id: str) -> None:
    from conversations.tasks import perform_effect

    transaction.on_commit(lambda: perform_effect.delay(conversation_id, effect_id))


def claim_http_effect(conversation_id: int, effect_id: str) -> dict | None:
    """The HTTP call to perform, counting the attempt; None when it is no longer wanted."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        effect = (conversation.pending_effect or {}) if conversation else {}
        if effect.get("id") != effect_id or effect.get("kind") not in REMOTE_EFFECTS:
            return None
        if effect.get("attempts", 0) >= HTTP_MAX_ATTEMPTS:  # a redelivered task: the sweep fails it instead
            return None
        effect["attempts"] = effect.get("attempts", 0) + 1
        effect["started_at"] = timezone.now().isoformat()
        conversation.pending_effect = effect
        conversation.save(update_fields=["pending_effect"])
        return effect


# --- the beat sweep: nothing a shopper sent, and no timer, is lost when a worker dies ---------------


def sweep(now=None) -> dict[str, int]:
    """Re-run lost bot turns, fire due waits, retry or fail HTTP calls no worker finished; end due snoozes and
    email the team about handoffs waiting too long (``conversations/timers.py``)."""
    from conversations.tasks import advance_bot, perform_effect

    now = now or timezone.now()
    lost = set(
        Message.objects.filter(
            sender=Sender.SHOPPER, bot_handled_at__isnull=True, created_at__lte=now - SWEEP_AFTER
        ).values_list("conversation_id", flat=True)[:500]
    )
    lost |= set(
        Conversation.objects.filter(bot_started=False, held_by=HeldBy.BOT, created_at__lte=now - SWEEP_AFTER)
        .values_list("pk", flat=True)[:500]
    )
    for conversation_id in lost:
        advance_bot.delay(conversation_id)
    woken = 0
    due = Conversation.objects.filter(wake_at__lte=now).values_list("pk", "pending_effect")[:500]
    for conversation_id, effect in due:
        woken += _safely(resume_after_effect, conversation_id, (effect or {}).get("id", ""), {"woke": True})
    stale = 0
    for conversation_id, effect in _stale_http(now):
        stale += 1
        if effect.get("attempts", 0) >= HTTP_MAX_ATTEMPTS:
            _safely(resume_after_effect, conversation_id, effect["id"], GAVE_UP)
        else:
            perform_effect.delay(conversation_id, effect["id"])
    snoozes = _safely(timers.wake_snoozed, now)
    alerts = _safely(timers.alert_waiting_handoffs, now)
    return {"turns": len(lost), "woken": woken, "http_retried": stale, "snoozes": snoozes, "handoff_alerts": alerts}


def _safely(resume, *args) -> int:
    """One conversation (or timer) that fails must not stop the sweep for every other store."""
    try:
        return resume(*args)
    except Exception:
        logger.exception("The sweep could not run %s%r", resume.__name__, args)
        return 0


def _stale_http(now):
    rows = Conversation.objects.filter(~Q(pending_effect={}), wake_at__isnull=True).values_list("pk", "pending_effect")
    for conversation_id, effect in rows[:500]:
        started = effect.get("started_at", "")
        if effect.get("kind") in REMOTE_EFFECTS and started and started <= (now - HTTP_STALE_AFTER).isoformat():
            yield conversation_id, effect

