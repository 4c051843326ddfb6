"""The beat sweep for proactive messages: cart timers that came due, and news for shoppers.

Runs every few seconds (``conversations.tasks.sweep_proactive``; the demo's in-process sweeper too). Each
part is bounded per round and one conversation's failure never stops the rest.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from conversations.models import CartTimer, Contact, Conversation, PendingUpdate, Status
from conversations.proactive import CART_TIMER_MAX_AGE, ONLINE_WINDOW, consider_why, idle_steps
from conversations.proactive_models import UpdateKind
from flows.triggers.models import Trigger
from integrations import queries
from tenants.models import Store

logger = logging.getLogger(__name__)

BATCH = 500
RETRY_BUSY = timedelta(minutes=5)  # a cart timer that came due while the shopper was chatting tries again
NEWS_FOR = timedelta(days=14)  # news not told by then is dropped
SHIPPED_LOOKBACK = timedelta(days=3)  # a fulfillment older than this is not news (a first sync brings years)


def sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "carts": _cart_timers(now),
        "news": _queue_shipments(now) + _queue_restocks(now),
        "told": _tell_online(now),
    }


def _safely(conversation_id: int, event: str, data: dict, now: datetime):
    try:
        return consider_why(conversation_id, event, data, now=now)
    except Exception:
        logger.exception("Proactive sweep: conversation %s failed", conversation_id)
        return None, "failed"


def _cart_timers(now: datetime) -> int:
    fired = 0
    for timer in CartTimer.objects.filter(due_at__lte=now).select_related("store").order_by("due_at")[:BATCH]:
        idle = int((now - timer.active_at).total_seconds() // 60)
        result, reason = _safely(timer.conversation_id, "cart_idle", {"idle_minutes": idle}, now)
        fired += result is not None
        later = [m for m in idle_steps(timer.store) if m > idle]
        if later:  # a longer cart-abandonment trigger is still to come
            due = timer.active_at + timedelta(minutes=later[0])
        elif reason and reason not in ("closed", "failed") and now - timer.active_at < CART_TIMER_MAX_AGE:
            due = now + RETRY_BUSY
        else:
            CartTimer.objects.filter(pk=timer.pk, active_at=timer.active_at).delete()
            continue
        CartTimer.objects.filter(pk=timer.pk, active_at=timer.active_at).update(due_at=due)
    return fired


def _stores_listening(kind: str) -> dict[int, datetime]:
    """Stores with an enabled, published trigger of ``kind``, and since when (news before it is not news)."""
    rows = Trigger.objects.filter(enabled=True, kind=kind, flow__published_version__isnull=False).order_by()
    return dict(rows.values("store_id").annotate(since=Min("created_at")).values_list("store_id", "since"))


def _queue(store: Store, contact_id: int, kind: str, ref: int, data: dict, now: datetime) -> int:
    try:
        with transaction.atomic():
            PendingUpdate.objects.create(
                store=store, contact_id=contact_id, kind=kind, ref=ref, data=data, created_at=now,
                expires_at=now + NEWS_FOR,
            )  # fmt: skip
        return 1
    except IntegrityError:  # already queued (this or an earlier round)
        return 0


def _queue_shipments(now: datetime) -> int:
    queued = 0
    for store_id, since in _stores_listening(UpdateKind.ORDER_FULFILLED).items():
        store = Store.objects.get(pk=store_id)
        shipped = queries.shipped_since(store, max(since, now - SHIPPED_LOOKBACK), limit=BATCH)
        known = set(
            PendingUpdate.objects.filter(store=store, kind=UpdateKind.ORDER_FULFILLED, ref__in=[f.pk for f in shipped])
            .values_list("ref", flat=True)
        )  # fmt: skip
        fresh = [f for f in shipped if f.pk not in known]
        contacts = dict(
            Contact.objects.filter(store=store, customer_id__in={f.order.customer_id for f in fresh})
            .values_list("customer_id", "pk")
        )  # fmt: skip
        for f in fresh:
            if f.order.customer_id in contacts:
                data = {"order": {"name": f.order.name, "status_url": f.order.status_url}, "carrier": f.carrier,
                        "tracking_number": f.tracking_number, "tracking_url": f.tracking_url}  # fmt: skip
                queued += _queue(store, contacts[f.order.customer_id], UpdateKind.ORDER_FULFILLED, f.pk, data, now)
    return queued


def _queue_restocks(now: datetime) -> int:
    queued = 0
    for store_id in _stores_listening(UpdateKind.BACK_IN_STOCK):
        store = Store.objects.get(pk=store_id)
        watches = queries.restocked_watches(store, limit=BATCH)
        known = Contact.objects.filter(store=store, pk__in={w.contact_id for w in watches})
        contacts = set(known.values_list("pk", flat=True))
        for w in watches:
            if w.contact_id in contacts:
                product = {"id": w.product.platform_id, "title": w.product.title, "handle": w.product.handle,
                           "url": w.product.url, "variant": w.variant.title if w.variant else ""}  # fmt: skip
                queued += _queue(store, w.contact_id, UpdateKind.BACK_IN_STOCK, w.pk, {"product": product}, now)
    return queued


def _tell_online(now: datetime) -> int:
    """News for shoppers whose widget is open now goes out at once; the others hear it at their next visit."""
    waiting = PendingUpdate.objects.filter(
        delivered_at__isnull=True, expires_at__gt=now, contact__last_seen_at__gte=now - ONLINE_WINDOW
    ).values_list("contact_id", flat=True)
    told = 0
    for contact_id in set(waiting[:BATCH]):
        conversation_id = (
            Conversation.objects.filter(contact_id=contact_id, status=Status.OPEN)
            .order_by("-id").values_list("pk", flat=True).first()
        )  # fmt: skip
        if conversation_id is not None:
            told += _safely(conversation_id, "news", {}, now)[0] is not None
    return told
