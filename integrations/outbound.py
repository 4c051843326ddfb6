"""Webhooks out: a store's endpoints, the events other apps emit, and signed deliveries with retries.

``emit(store, event, payload)`` is the one function other apps call (inside their transaction): it records
one delivery per subscribed endpoint and queues them after commit, so a rolled-back change sends nothing.
Each delivery keeps the exact JSON it sends; ``X-Shopbot-Signature`` is base64(HMAC-SHA256(endpoint secret,
body)). Sending goes through ``botplatform.safe_http`` like the flows' HTTP node: no internal address is
reachable, at every try (DNS can change), and a hanging endpoint is cut off at the time-out.
"""

import json
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from botplatform import safe_http
from integrations.models import DeliveryStatus, OutboundEvent, WebhookDelivery, WebhookEndpoint
from integrations.webhooks import sign
from tenants.models import Store

MAX_ENDPOINTS = 10


def _clean(url: str, events) -> tuple[str, list[str]]:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        message = "Enter the address to post to, like https://hooks.example.com/shopbot."
        raise ValidationError({"url": message}) from None
    problem = safe_http.address_problem(url)
    if problem:
        raise ValidationError({"url": problem})
    chosen = [e for e in dict.fromkeys(events or []) if e in OutboundEvent.values]
    if not chosen or len(chosen) != len(set(events or [])):
        raise ValidationError({"events": f"Choose events from: {', '.join(OutboundEvent.values)}."})
    return url, chosen


def create_endpoint(store: Store, *, url: str, events) -> WebhookEndpoint:
    """A new endpoint with a fresh secret (shown to the owner to check signatures with)."""
    url, chosen = _clean(url, events)
    with transaction.atomic():
        Store.objects.select_for_update().filter(pk=store.pk).first()
        if WebhookEndpoint.objects.filter(store=store).count() >= MAX_ENDPOINTS:
            raise ValidationError(f"A store can have at most {MAX_ENDPOINTS} endpoints.")
        return WebhookEndpoint.objects.create(store=store, url=url, events=chosen,
                                              secret=f"whsec_{secrets.token_urlsafe(32)}")  # fmt: skip


def update_endpoint(endpoint: WebhookEndpoint, *, url: str, events, is_active: bool = True) -> WebhookEndpoint:
    endpoint.url, endpoint.events = _clean(url, events)
    endpoint.is_active = bool(is_active)
    endpoint.save(update_fields=["url", "events", "is_active"])
    return endpoint


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def emit(store: Store, event: str, payload: dict) -> list[WebhookDelivery]:
    """Record ``event`` for every active endpoint of the store that wants it; sent after commit."""
    from integrations.tasks import deliver_webhook

    if event not in OutboundEvent.values:
        raise ValueError(f"{event!r} is not an outbound event.")
    endpoints = [e for e in WebhookEndpoint.objects.filter(store=store, is_active=True) if event in e.events]
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = []
    for endpoint in endpoints:
        body = {"id": str(uuid.uuid4()), "event": event, "store": store.slug, "created_at": now.isoformat(),
                "data": payload}  # fmt: skip
        text = json.dumps(body, ensure_ascii=False, allow_nan=False, default=str)
        deliveries.append(WebhookDelivery(store=store, endpoint=endpoint, event=event, body=text, next_attempt_at=now))
    WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: deliver_webhook.delay(pk))
    return deliveries


def attempt(delivery_id: int) -> float | None:
    """One try of a pending delivery; returns seconds until the next try, or None when it is settled."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True).select_related("endpoint")
                    .filter(pk=delivery_id, status=DeliveryStatus.PENDING).first())  # fmt: skip
        if delivery is None:
            return None
        endpoint = delivery.endpoint
        body = delivery.body.encode()
        headers = {"X-Shopbot-Event": delivery.event, "X-Shopbot-Delivery": str(delivery.pk),
                   "X-Shopbot-Signature": sign(endpoint.secret, body)}  # fmt: skip
        outcome = safe_http.post_signed(endpoint.url, body=body, headers=headers,
                                        timeout=settings.OUTBOUND_WEBHOOK_TIMEOUT_SECONDS)  # fmt: skip
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = outcome.status, outcome.error[:300]
        delays = settings.OUTBOUND_WEBHOOK_RETRY_DELAYS
        retry_in = None
        if outcome.ok:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        elif delivery.attempts > len(delays):
            delivery.status = DeliveryStatus.FAILED
        else:
            retry_in = float(delays[delivery.attempts - 1])
            delivery.next_attempt_at = now + timedelta(seconds=retry_in)
        delivery.save()
        endpoint.last_status = str(outcome.status) if outcome.ok else (outcome.error or str(outcome.status))[:200]
        endpoint.last_delivery_at = now
        endpoint.save(update_fields=["last_status", "last_delivery_at"])
        return retry_in
