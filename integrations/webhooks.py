"""Webhooks in: check the signature on the raw body, keep the delivery once, and queue its processing.

Both platforms sign the exact bytes they send: Shopify ``X-Shopify-Hmac-Sha256`` = base64(HMAC-SHA256(app
secret, body)); WooCommerce ``X-WC-Webhook-Signature`` = base64(HMAC-SHA256(the webhook's secret, body)).
A missing or wrong signature is answered 401 and nothing is stored. A delivery id seen before (the
platform retrying, or someone replaying a captured request) is answered 200 and not processed again.
Receiving does no more than one insert: the mirror is written by ``integrations.tasks.process_webhook``.
"""

import base64
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from integrations.models import Connection, InboundWebhook, Platform
from integrations.shopify import webhooks as shopify_topics
from integrations.woocommerce import webhooks as woo_topics

log = logging.getLogger(__name__)

# Shopify's three mandatory privacy topics, processed through the privacy registry.
PRIVACY_TOPICS = ("customers/data_request", "customers/redact", "shop/redact")


@dataclass
class Outcome:
    status: int
    message: str
    webhook: InboundWebhook | None = None


def signature_matches(secret: str, body: bytes, given: str) -> bool:
    if not secret or not given:
        return False
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected.encode(), given.strip().encode())


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def receive_shopify(headers, body: bytes) -> Outcome:
    if not signature_matches(settings.SHOPIFY_API_SECRET, body, headers.get("X-Shopify-Hmac-Sha256", "")):
        return Outcome(401, "The signature does not match this body.")
    topic = headers.get("X-Shopify-Topic", "")
    shop = headers.get("X-Shopify-Shop-Domain", "").strip().lower()
    delivery = headers.get("X-Shopify-Event-Id") or headers.get("X-Shopify-Webhook-Id") or ""
    if topic not in shopify_topics.TOPICS and topic not in PRIVACY_TOPICS:
        return Outcome(200, f"The topic {topic!r} is not one this app handles; nothing was stored.")
    connection = Connection.objects.filter(platform=Platform.SHOPIFY, shop=shop).select_related("store").first()
    if connection is None:
        return Outcome(200, "No store is connected to this shop; nothing was stored.")
    return _keep(connection, topic, delivery, body)


def receive_woocommerce(connection_id: int, headers, body: bytes) -> Outcome:
    connection = Connection.objects.filter(pk=connection_id, platform=Platform.WOOCOMMERCE).first()
    given = headers.get("X-WC-Webhook-Signature", "")
    if not given and woo_topics.is_ping(body):
        # WooCommerce checks a new webhook's address with an unsigned form post (webhook_id=N) and keeps the
        # webhook only if it gets a 2xx; it carries nothing, so nothing is stored.
        return Outcome(200, "Ping received.")
    secret = connection.secrets().get("webhook_secret", "") if connection else ""
    if connection is None or not signature_matches(secret, body, given):
        return Outcome(401, "The signature does not match this body.")
    topic = headers.get("X-WC-Webhook-Topic", "")
    if topic not in woo_topics.TOPICS:
        return Outcome(200, f"The topic {topic!r} is not one this app handles; nothing was stored.")
    return _keep(connection, topic, headers.get("X-WC-Webhook-Delivery-ID", ""), body)


def _keep(connection: Connection, topic: str, delivery: str, body: bytes) -> Outcome:
    from integrations.tasks import process_webhook

    delivery = delivery.strip()[:128]
    if not delivery:
        return Outcome(400, "The delivery has no id.")
    try:
        payload = json.loads(body)
    except ValueError:
        return Outcome(400, "The body is not JSON.")
    if not isinstance(payload, dict):
        return Outcome(400, "The body is not a JSON object.")
    try:
        with transaction.atomic():
            webhook = InboundWebhook.objects.create(
                store=connection.store, platform=connection.platform, topic=topic, delivery_id=delivery, body=payload
            )
    except IntegrityError:
        return Outcome(200, "This delivery was received before; it is not processed again.")
    transaction.on_commit(lambda: process_webhook.delay(webhook.pk))
    log.info("webhook %s %s for store %s kept as %s", connection.platform, topic, connection.store_id, webhook.pk)
    return Outcome(202, "Received.", webhook)
