"""WooCommerce webhook topics this app handles. A body is the same JSON the REST API lists (a deletion
sends only ``{"id": N}``), so the adapter's record builders read it."""

from urllib.parse import parse_qs

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
