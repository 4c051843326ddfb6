"""WooCommerce webhook topics this app handles. A body is the same JSON the REST API lists (a deletion
sends only ``{"id": N}``), so the adapter's record builders read it."""

from urllib.parse import parse_qs

from integrations.woocommerce.client import WooClient

# topic -> (mirror resource, what to do)
TOPICS = {
    "product.created": ("products", "upsert"),
    "product.updated": ("products", "upsert"),
    "product.restored": ("products", "upsert"),
    "product.deleted": ("products", "delete"),
    "order.created": ("orders", "upsert"),
    "order.updated": ("orders", "upsert"),
    "order.restored": ("orders", "upsert"),
    "order.deleted": ("orders", "delete"),
    "customer.created": ("customers", "upsert"),
    "customer.updated": ("customers", "upsert"),
    "customer.deleted": ("customers", "delete"),
}
# What is registered on the site when a store connects.
REGISTERED = [t for t in TOPICS if not t.endswith(".restored")]


def is_ping(body: bytes) -> bool:
    """WooCommerce's creation ping: the form body ``webhook_id=N`` and nothing else."""
    try:
        fields = parse_qs(body.decode("ascii"), strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return False
    return set(fields) == {"webhook_id"} and all(v.isdigit() for v in fields["webhook_id"])


def register(client: WooClient, *, delivery_url: str, secret: str) -> int:
    """Create the webhooks this app needs on the site, skipping those already pointing at ``delivery_url``."""
    existing = client.get("webhooks", {"per_page": 100}).data
    have = {w.get("topic") for w in existing if isinstance(w, dict) and w.get("delivery_url") == delivery_url}
    made = 0
    for topic in REGISTERED:
        if topic not in have:
            client.post("webhooks", {"name": f"Shopbot {topic}", "topic": topic, "delivery_url": delivery_url,
                                     "secret": secret, "status": "active"})  # fmt: skip
            made += 1
    return made
