"""Privacy requests: Shopify's three mandatory topics and the same actions for an owner in the dashboard.

Every request goes through the privacy registry (``tenants.privacy``), so every app's data is covered:
the mirror's customer and orders, contacts, transcripts, events. Each is logged as a ``PrivacyRequest``
keyed so that a repeated request is recorded once and erasing twice erases nothing more.
"""

import json
import logging

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from integrations.models import Connection, InboundWebhook, PrivacyKind, PrivacyRequest
from tenants import privacy
from tenants.models import Store

log = logging.getLogger(__name__)

SHOPIFY_TOPICS = {
    "customers/data_request": PrivacyKind.DATA_REQUEST,
    "customers/redact": PrivacyKind.REDACT_SHOPPER,
    "shop/redact": PrivacyKind.REDACT_SHOP,
}


def _ids(values) -> tuple[str, ...]:
    return tuple(str(v) for v in values or () if str(v).isdigit())


def _jsonable(data) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def handle_shopify(webhook: InboundWebhook) -> str:
    """Do what a Shopify privacy webhook asks; the note says what was done."""
    kind = SHOPIFY_TOPICS[webhook.topic]
    body = webhook.body
    key = f"shopify:{webhook.topic}:{(body.get('data_request') or {}).get('id') or webhook.delivery_id}"
    store = webhook.store
    if kind == PrivacyKind.REDACT_SHOP:
        return _redact_shop(store, body, key)
    customer = body.get("customer") or {}
    try:
        shopper = privacy.Shopper(
            email=str(customer.get("email") or ""), phone=str(customer.get("phone") or ""),
            customer_ids=_ids([customer.get("id")]),
            order_ids=_ids(body.get("orders_to_redact") or body.get("orders_requested")),
        )  # fmt: skip
    except ValueError as exc:
        return str(exc)
    request = run_shopper_request(store, kind, shopper, source="shopify", key=key, shop=str(body.get("shop_domain")))
    return f"{request.get_kind_display()} (request {request.pk})."


def run_shopper_request(store: Store, kind: str, shopper: privacy.Shopper, *, source: str, key: str,
                        shop: str = "", requested_by: str = "") -> PrivacyRequest:  # fmt: skip
    """Export or erase one shopper's data in every app, logged once per key."""
    with transaction.atomic():
        request, created = PrivacyRequest.objects.select_for_update().get_or_create(
            key=key, defaults={"store": store, "store_label": store.name, "shop": shop, "source": source,
                               "kind": kind, "requested_by": requested_by,
                               "shopper": {"email": shopper.email, "phone": shopper.phone,
                                           "customer_ids": list(shopper.customer_ids),
                                           "order_ids": list(shopper.order_ids)}},
        )  # fmt: skip
        if not created and request.completed_at:
            return request
        if kind == PrivacyKind.DATA_REQUEST:
            request.result = {"export": _jsonable(privacy.export_shopper_data(store, shopper))}
        else:
            request.result = {"erased": privacy.erase_shopper_data(store, shopper)}
        request.completed_at = timezone.now()
        request.save(update_fields=["result", "completed_at"])
    log.info("privacy %s for store %s done (request %s)", kind, store.pk, request.pk)
    return request


def _redact_shop(store: Store, body: dict, key: str) -> str:
    shop = str(body.get("shop_domain") or "")
    with transaction.atomic():
        request, created = PrivacyRequest.objects.get_or_create(
            key=key, defaults={"store": store, "store_label": store.name, "shop": shop, "source": "shopify",
                               "kind": PrivacyKind.REDACT_SHOP},
        )  # fmt: skip
        if not created and request.completed_at:
            return "Done before."
        connection = Connection.objects.filter(store=store).first()
        if connection is None or connection.shop != shop or connection.is_connected:
            # Shopify sends shop/redact 48 hours after an uninstall; a store connected again (to this or
            # another shop) keeps its data.
            request.note = "The store is connected to a shop again; nothing was erased."
            request.completed_at = timezone.now()
            request.save(update_fields=["note", "completed_at"])
            return request.note
        request.result = {"erased": privacy.erase_store_data(store)}
        request.store = None  # the store row is gone; the log keeps its name and shop
        request.completed_at = timezone.now()
        request.note = "The store and everything it held were erased."
        request.save(update_fields=["store", "result", "completed_at", "note"])
    return request.note


def request_from_owner(store: Store, *, kind: str, email: str, requested_by: str) -> PrivacyRequest:
    """An owner acts on a shopper's emailed request: export or erase by email."""
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationError({"email": "Enter the shopper's email address."})
    if kind not in (PrivacyKind.DATA_REQUEST, PrivacyKind.REDACT_SHOPPER):
        raise ValidationError({"kind": "Choose an export or an erasure."})
    key = f"dashboard:{store.pk}:{kind}:{email}:{timezone.now().isoformat()}"
    return run_shopper_request(store, kind, privacy.Shopper(email=email), source="dashboard", key=key,
                               requested_by=requested_by)  # fmt: skip
