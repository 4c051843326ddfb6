"""Sync tasks. They take ids and re-read; errors end in the connection's sync status."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations import sync
from integrations.adapters import ADAPTERS
from integrations.models import Connection


@shared_task(acks_late=True)
def sync_store(connection_id: int, full: bool = False) -> dict:
    """One store's sync, full or incremental. Safe to deliver twice: the second finds the lease taken."""
    result = sync.run_sync(connection_id, full=full)
    return {"ran": result.ran, "error": result.error, "rows": result.rows}


@shared_task
def refresh_recommendations(store_id: int) -> int:
    """Recount bought-together and best sellers from the store's synced orders (queued after each sync)."""
    from integrations.recommendations import refresh_recommendations as refresh
    from tenants.models import Store

    store = Store.objects.filter(pk=store_id).first()
    return refresh(store) if store is not None else 0


@shared_task
def sync_due_stores() -> int:
    """Beat: queue an incremental sync for every connected store not synced in SYNC_INTERVAL_MINUTES."""
    now = timezone.now()
    stale = now - timedelta(minutes=settings.SYNC_INTERVAL_MINUTES)
    due = (
        Connection.objects.filter(platform__in=list(ADAPTERS))
        .exclude(credentials="")
        .filter(Q(sync_lease_until__isnull=True) | Q(sync_lease_until__lt=now))
        .filter(Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=stale))
        .values_list("pk", flat=True)
    )
    ids = list(due)
    for connection_id in ids:
        sync_store.delay(connection_id)
    return len(ids)


@shared_task(acks_late=True)
def process_webhook(webhook_id: int) -> str:
    """Apply a kept webhook. Safe to deliver twice: the second finds it processed."""
    from integrations import webhook_apply

    return webhook_apply.process(webhook_id)


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    """Try a delivery; on failure queue the next try after its back-off (the sweep catches lost ones)."""
    from integrations import outbound

    retry_in = outbound.attempt(delivery_id)
    if retry_in is not None:
        deliver_webhook.apply_async((delivery_id,), countdown=retry_in)
        return "retrying"
    return "settled"


@shared_task
def sweep_webhook_deliveries() -> int:
    """Beat: queue pending deliveries whose next try is overdue (a worker died, or a retry was lost)."""
    from integrations.models import DeliveryStatus, WebhookDelivery

    late = timezone.now() - timedelta(minutes=5)
    ids = list(WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lt=late)
               .values_list("pk", flat=True)[:500])  # fmt: skip
    for delivery_id in ids:
        deliver_webhook.delay(delivery_id)
    return len(ids)


@shared_task(acks_late=True)
def register_webhooks(connection_id: int) -> int:
    """Subscribe the webhooks a newly connected store needs (Shopify and WooCommerce), skipping those already
    there. A failure is shown on the connection; the periodic sync covers what webhooks miss."""
    from integrations import services

    return services.register_webhooks(connection_id)
