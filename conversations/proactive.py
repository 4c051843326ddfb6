"""Proactive messages: triggers that start a flow by themselves, and campaigns.

Every widget event is stored first (``sessions.record_widget_event``); if the store has a trigger or a
campaign that could answer it, ``consider`` runs after commit (a Celery task). It locks the conversation,
and fires the highest-priority matching trigger whose caps allow it, unless the conversation is in
progress. Timers (cart abandonment) and news (an order shipped, a product back in stock) are rows with
due times that the beat sweep (``sweep``) fires; nothing waits in a Celery countdown.

"In progress", when nothing proactive may start (``busy``):
- the team holds the conversation, or an agent is taking it over;
- the shopper or an agent wrote within the store's ``proactive_quiet_minutes``;
- the bot is mid-flow: waiting for an HTTP call or a wait node, or waiting for the shopper's answer in a
  dialogue they have joined (they wrote since that flow started, within the last 30 minutes; a greeting
  nobody answered does not count).
Besides each trigger's caps, one shopper gets at most one proactive message per ``proactive_cooldown_minutes``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from analytics.services import EventRecord, record_events
from conversations import campaigns, inbox
from conversations.models import (
    CartTimer,
    Contact,
    Conversation,
    HeldBy,
    Message,
    PendingUpdate,
    ProactiveStart,
    Sender,
    Status,
)
from conversations.realtime import batched_broadcasts
from conversations.services import NEW_VISIT_AFTER
from flows import triggers
from flows.triggers.base import Signal, cart_items, utm_of
from flows.triggers.models import Trigger
from tenants.models import Store

logger = logging.getLogger(__name__)

CAP_WINDOW = timedelta(hours=24)
# A shopper whose widget sent anything this recently is online: news is told now, not at the next visit.
ONLINE_WINDOW = timedelta(minutes=2)
# Events that mean the shopper is doing something (a time-on-page ping or leaving do not reset the cart timer).
ACTIVITY = {"widget_opened", "page_view", "cart_updated", "scroll", "custom", "product_clicked", "added_to_cart"}
VISIT_EVENTS = {"page_view", "widget_opened"}  # when news waiting for a shopper and campaigns are considered
CART_TIMER_MAX_AGE = timedelta(days=7)
DIALOGUE_OVER_AFTER = NEW_VISIT_AFTER  # a question the shopper left unanswered this long no longer holds the chat


@dataclass(frozen=True)
class Fired:
    """What ``consider`` started: a trigger's flow or a campaign."""

    kind: str
    trigger_id: int | None = None
    campaign_id: int | None = None


# --- after each widget event ----------------------------------------------------------------------


def after_widget_event(conversation: Conversation, name: str, data: dict, now: datetime) -> None:
    """Called by ``record_widget_event`` inside its transaction, with the conversation locked: arm the
    cart timer, and consider proactive messages after commit when something could answer this event."""
    store = conversation.store
    if name in ACTIVITY:
        _arm_cart_timer(conversation, name, now)
    could = _some_trigger_matches(conversation, name, data)
    if not could and name in VISIT_EVENTS:
        could = campaigns.any_running(store, now) or _has_news(conversation.contact_id, now)
    if could:
        from conversations.tasks import consider_proactive

        conversation_id = conversation.pk
        transaction.on_commit(lambda: consider_proactive.delay(conversation_id, name, data))


def _some_trigger_matches(conversation: Conversation, name: str, data: dict) -> bool:
    """A cheap first look, without caps or the in-progress rule (``consider`` checks everything again): most
    events match nothing, and then no task is queued at all."""
    kinds = triggers.kinds_for(name)
    if not kinds:
        return False
    candidates = list(
        Trigger.objects.filter(
            store=conversation.store, enabled=True, kind__in=kinds, flow__published_version__isnull=False
        ).values_list("kind", "config")
    )
    if not candidates:
        return False
    signal = signal_for(conversation, name, data, visit=any(kind == "widget_opened" for kind, _ in candidates))
    return any(triggers.matches(kind, config, signal) for kind, config in candidates)


def _arm_cart_timer(conversation: Conversation, name: str, now: datetime) -> None:
    cart = (conversation.context or {}).get("cart") or {}
    if not cart_items(cart):
        if name == "cart_updated":  # only a cart update can empty a cart that had a timer
            CartTimer.objects.filter(conversation=conversation).delete()
        return
    idle = idle_steps(conversation.store)
    if not idle:
        return
    CartTimer.objects.update_or_create(
        conversation=conversation, defaults={"store": conversation.store, "active_at": now,
                                             "due_at": now + timedelta(minutes=idle[0])},
    )  # fmt: skip


def idle_steps(store: Store) -> list[int]:
    """The distinct ``idle_minutes`` of the store's enabled cart-abandonment triggers, smallest first."""
    configs = Trigger.objects.filter(store=store, enabled=True, kind="cart_abandoned").values_list("config", flat=True)
    return sorted({int(c.get("idle_minutes", 30)) for c in configs})


def _has_news(contact_id: int, now: datetime) -> bool:
    return PendingUpdate.objects.filter(contact_id=contact_id, delivered_at__isnull=True, expires_at__gt=now).exists()


# --- deciding and firing --------------------------------------------------------------------------


def consider(conversation_id: int, event: str, data: dict | None = None, *, now: datetime | None = None):
    """Fire the best proactive message for this event, if any may; returns what was fired."""
    return consider_why(conversation_id, event, data, now=now)[0]


def consider_why(conversation_id: int, event: str, data: dict | None = None, *, now: datetime | None = None):
    """``consider``, also saying why nothing fired when the conversation was not free: (fired, reason).

    ``event`` ``"news"`` only tells waiting news (the sweep, for a shopper who is online)."""
    now = now or timezone.now()
    with transaction.atomic(), batched_broadcasts():
        from conversations.turns import lock_conversation

        conversation = lock_conversation(conversation_id)
        if conversation is None or conversation.status != Status.OPEN:
            return None, "closed"
        reason = busy(conversation, now) or ("cooldown" if in_cooldown(conversation.contact, now) else "")
        if reason:
            return None, reason
        fired = _fire_news(conversation, now) if event in VISIT_EVENTS or event == "news" else None
        if fired is None and event != "news":
            fired = _fire_trigger(conversation, [(signal_for(conversation, event, data or {}), None)], now)
        if fired is None and event in VISIT_EVENTS:
            fired = _fire_campaign(conversation, now)
        return fired, ""


def busy(conversation: Conversation, now: datetime) -> str:
    """Why the conversation is in progress (nothing proactive may start), or "" when it is not."""
    if conversation.held_by == HeldBy.AGENT or inbox.takeover_pending(conversation.pk):
        return "held by the team"
    if conversation.pending_effect:
        return "the flow is waiting for a call or a timer"
    last = (
        Message.objects.filter(conversation=conversation, sender__in=(Sender.SHOPPER, Sender.AGENT))
        .order_by("-id").values_list("created_at", flat=True).first()
    )  # fmt: skip
    if last is None:
        return ""
    if last >= now - timedelta(minutes=conversation.store.proactive_quiet_minutes):
        return "someone wrote recently"
    state = conversation.flow_state or {}
    started = parse_datetime(state.get("run_started_at") or "") or conversation.created_at
    if state.get("awaiting") == "input" and last >= started and last >= now - DIALOGUE_OVER_AFTER:
        return "the shopper is answering the flow"
    return ""


def in_cooldown(contact: Contact, now: datetime) -> bool:
    since = now - timedelta(minutes=contact.store.proactive_cooldown_minutes)
    return ProactiveStart.objects.filter(contact=contact, started_at__gt=since).exists()


def signal_for(conversation: Conversation, event: str, data: dict, *, visit: bool = True) -> Signal:
    """The signal for an event in this conversation; ``visit=False`` skips reading the contact (no kind needs it)."""
    context = conversation.context or {}
    page = dict(context.get("page") or {})
    page["utm"] = context.get("utm") or utm_of(page.get("url", ""))
    facts = {}
    if visit:
        contact = conversation.contact
        facts = {"first_visit": contact.visits <= 1, "returning": contact.visits > 1,
                 "logged_in": bool(contact.platform_customer_id)}  # fmt: skip
    return Signal(event=event, data=data, page=page, cart=dict(context.get("cart") or {}), visit=facts)


def _caps_allow(trigger: Trigger, contact: Contact, now: datetime) -> bool:
    fired = ProactiveStart.objects.filter(trigger=trigger, contact=contact)
    if trigger.cap_per_shopper is not None and fired.count() >= trigger.cap_per_shopper:
        return False
    return fired.filter(started_at__gt=now - CAP_WINDOW).count() < trigger.cap_per_day


def _fire_trigger(conversation: Conversation, signals: list[tuple[Signal, Any]], now: datetime, on_fire=None):
    """Among the store's enabled triggers for these signals, the highest priority that matches and whose caps
    allow it starts its flow. ``signals`` pairs each signal with a token handed to ``on_fire``."""
    store, contact = conversation.store, conversation.contact
    kinds = {kind for signal, _ in signals for kind in triggers.kinds_for(signal.event)}
    candidates = Trigger.objects.filter(
        store=store, enabled=True, kind__in=kinds, flow__published_version__isnull=False
    ).order_by("-priority", "id")
    for trigger in candidates:
        for signal, token in signals:
            if not triggers.matches(trigger.kind, trigger.config, signal) or not _caps_allow(trigger, contact, now):
                continue
            about = {"kind": trigger.kind, **{k: v for k, v in signal.data.items() if k not in ("kind",)}}
            if not _start(conversation, trigger.flow_id, trigger.display, about, now):
                continue
            ProactiveStart.objects.create(
                store=store, contact=contact, conversation=conversation, trigger=trigger, started_at=now
            )
            data = {"trigger_id": trigger.pk, "kind": trigger.kind, "flow_id": trigger.flow_id}
            record_events(store, [EventRecord("trigger_fired", data, conversation.pk, contact.pk, trigger.flow_id)])
            if on_fire is not None:
                on_fire(token, now)
            return Fired(kind=trigger.kind, trigger_id=trigger.pk)
    return None


def _start(conversation: Conversation, flow_id: int, display: str, about: dict, now: datetime) -> bool:
    from conversations.turns import start_flow

    return start_flow(conversation, flow_id, display=display, trigger=about, now=now)


def _fire_news(conversation: Conversation, now: datetime) -> Fired | None:
    """News waiting for this shopper (an order shipped, a product back) goes before anything else."""
    waiting = PendingUpdate.objects.filter(
        contact=conversation.contact, delivered_at__isnull=True, expires_at__gt=now
    ).order_by("created_at", "id")[:10]
    signals = [(Signal(event=u.kind, data=dict(u.data)), u) for u in waiting]
    return _fire_trigger(conversation, signals, now, on_fire=_delivered) if signals else None


def _delivered(update: PendingUpdate, now: datetime) -> None:
    PendingUpdate.objects.filter(pk=update.pk).update(delivered_at=now)
    if update.kind == "back_in_stock":
        from integrations.restock import mark_restock_notified

        mark_restock_notified(update.store, [update.ref])


def _fire_campaign(conversation: Conversation, now: datetime) -> Fired | None:
    store, contact = conversation.store, conversation.contact
    for campaign in campaigns.running_for(contact, now):
        text = campaigns.render_text(campaign, conversation) if not campaign.flow_id else ""
        about = {"kind": "campaign", "campaign_id": campaign.pk, "campaign": campaign.name}
        if campaign.flow_id:
            if not _start(conversation, campaign.flow_id, campaign.display, about, now):
                continue
        elif text:
            campaigns.post_campaign_message(conversation, campaign, text)
        else:
            continue
        ProactiveStart.objects.create(
            store=store, contact=contact, conversation=conversation, campaign=campaign, started_at=now
        )
        data = {"campaign_id": campaign.pk, "flow_id": campaign.flow_id}
        record_events(store, [EventRecord("campaign_shown", data, conversation.pk, contact.pk, campaign.flow_id)])
        return Fired(kind="campaign", campaign_id=campaign.pk)
    return None
