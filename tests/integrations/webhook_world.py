"""Signed webhook requests replaying the real sample bodies, as Shopify and WooCommerce send them."""

import base64
import hashlib
import hmac
import json
import uuid
from pathlib import Path

SAMPLES = Path(__file__).parent / "webhook_samples"
APP_SECRET = "shpss_test_app_secret"
WOO_SECRET = "woo-webhook-secret"


def sample(platform: str, name: str) -> dict:
    return json.loads((SAMPLES / platform / f"{name}.json").read_text())


def hmac_b64(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def post_shopify(client, topic: str, body, *, shop: str, event_id: str | None = None, secret: str = APP_SECRET,
                 signature: str | None = None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {
        "HTTP_X_SHOPIFY_TOPIC": topic, "HTTP_X_SHOPIFY_SHOP_DOMAIN": shop,
        "HTTP_X_SHOPIFY_EVENT_ID": event_id or str(uuid.uuid4()),
        "HTTP_X_SHOPIFY_HMAC_SHA256": hmac_b64(secret, raw) if signature is None else signature,
    }
    return client.post("/webhooks/shopify/", raw, content_type="application/json", **headers)


def post_woo(client, connection, topic: str, body, *, delivery: str | None = None, secret: str = WOO_SECRET,
             signature: str | None = None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {
        "HTTP_X_WC_WEBHOOK_TOPIC": topic, "HTTP_X_WC_WEBHOOK_DELIVERY_ID": delivery or str(uuid.uuid4().int)[:8],
        "HTTP_X_WC_WEBHOOK_SIGNATURE": hmac_b64(secret, raw) if signature is None else signature,
    }
    return client.post(f"/webhooks/woocommerce/{connection.pk}/", raw, content_type="application/json", **headers)
