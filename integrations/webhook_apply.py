"""Processing a kept webhook: the mirror change it carries, never rolling back to an older state.

Each platform topic maps to (resource, action) in its ``webhooks`` module; the record is built with the
same rules a sync uses. Webhooks of one store are applied one at a time (a lock on the store's connection
row), and an update whose ``platform_updated_at`` is older than the mirror's row is skipped, so retries
and out-of-order deliveries never undo a newer change. Privacy topics go to ``integrations.privacy_requests``.
"""

import logging

from django.db import transaction
from django.utils import timezone

from integrations import mirror, services
from integrations.adapters import PlatformError
from integrations.models import Connection, Fulfillment, InboundWebhook, Order, Platform, WebhookStatus
from integrations.shopify import webhooks as shopify_topics
from integrations.woocommerce import webhooks as woo_topics
from integrations.woocommerce.sync import open_adapter as open_woo

log = logging.getLogger(__name__)


def process(webhook_id: int) -> str:
    """Apply one kept webhook once; returns its final status. Safe to call twice."""
    with transaction.atomic():
        webhook = InboundWebhook.objects.select_for_update().filter(pk=webhook_id).first()
        if webhook is None or webhook.status != WebhookStatus.RECEIVED:
            return webhook.status if webhook else "missing"
        connection = Connection.objects.select_for_update().filter(store_id=webhook.store_id).first()
        try:
            with transaction.atomic():
                status, note = _apply(webhook, connection)
        except PlatformError as exc:  # BadData included: nothing of this webhook was written
            status, note = WebhookStatus.FAILED, str(exc)
            log.warning("webhook %s (%s %s) failed: %s", webhook.pk, webhook.platform, webhook.topic, exc)
        if webhook.store.pk is None:  # shop/redact erased the store, and this row with it; the privacy log stays
            return status
        webhook.status, webhook.note, webhook.processed_at = status, note[:500], timezone.now()
        webhook.save(update_fields=["status", "note", "processed_at"])
        return status


def _apply(webhook: InboundWebhook, connection: Connection | None) -> tuple[str, str]:
    from integrations import privacy_requests

    if webhook.platform == Platform.SHOPIFY and webhook.topic in privacy_requests.SHOPIFY_TOPICS:
        return WebhookStatus.APPLIED, privacy_requests.handle_shopify(webhook)
    if connection is None or not connection.is_connected or connection.platform != webhook.platform:
        return WebhookStatus.SKIPPED, "The store is no longer connected to this shop."
    topics = shopify_topics.TOPICS if webhook.platform == Platform.SHOPIFY else woo_topics.TOPICS
    resource, action = topics[webhook.topic]
    if action == "uninstall":
        services.disconnect_store(connection.store)
        return WebhookStatus.APPLIED, "The app was uninstalled: the store is disconnected."
    if action == "delete":
        return _delete(webhook, resource)
    record = _record(webhook, connection, resource)
    if resource == "fulfillments":
        return _fulfillment(webhook, record)
    return _upsert(webhook.store, resource, record)


def _record(webhook: InboundWebhook, connection: Connection, resource: str) -> dict:
    if webhook.platform == Platform.SHOPIFY:
        return shopify_topics.RECORDS[resource](webhook.body)
    with open_woo(connection) as adapter:  # a variable product's variations are read from the site
        return getattr(adapter, f"_{resource[:-1]}")(webhook.body)


def _upsert(store, resource: str, record: dict) -> tuple[str, str]:
    model = mirror.WRITERS[resource][1]
    current = model.objects.filter(store=store, platform_id=record["platform_id"]).first()
    incoming = record.get("platform_updated_at")
    if current and current.platform_updated_at and incoming and incoming < current.platform_updated_at:
        return WebhookStatus.SKIPPED, (f"Older than the mirror ({incoming.isoformat()} < "
                                       f"{current.platform_updated_at.isoformat()}); kept the newer.")  # fmt: skip
    mirror.write(resource, store, [record], timezone.now())
    return WebhookStatus.APPLIED, f"{'Updated' if current else 'Added'} {resource[:-1]} {record['platform_id']}."


def _fulfillment(webhook: InboundWebhook, record: dict) -> tuple[str, str]:
    order = Order.objects.filter(store=webhook.store, platform_id=str(webhook.body.get("order_id"))).first()
    if order is None:
        return WebhookStatus.SKIPPED, "Its order is not in the mirror yet; the next sync brings both."
    current = Fulfillment.objects.filter(store=webhook.store, platform_id=record["platform_id"]).first()
    incoming = record.get("platform_updated_at")
    if current and current.platform_updated_at and incoming and incoming < current.platform_updated_at:
        return WebhookStatus.SKIPPED, "Older than the mirror; kept the newer."
    mirror.write_fulfillments(webhook.store, order, [record], timezone.now())
    return WebhookStatus.APPLIED, f"Fulfillment {record['platform_id']} of {order.name}."


def _delete(webhook: InboundWebhook, resource: str) -> tuple[str, str]:
    if webhook.platform == Platform.SHOPIFY:
        platform_id = shopify_topics.deleted_id(webhook.body)
    else:
        platform_id = str(webhook.body.get("id") or "")
    model = mirror.WRITERS[resource][1]
    deleted, _ = model.objects.filter(store=webhook.store, platform_id=platform_id).delete()
    return WebhookStatus.APPLIED, f"Removed {resource[:-1]} {platform_id}." if deleted else "Already gone."
