"""The read-only shop a flow sees (``ctx.shop``): product cards built from the mirror, through integrations'
query functions. Cards carry the platform's ids, which the shop's own cart understands."""

from flows.nodes.base import Card
from integrations import queries
from integrations.models import Product
from tenants.models import Store


def card_for(product: Product, currency: str, store: Store | None = None) -> Card:
    variants = list(product.variants.all())
    available = [v for v in variants if v.in_stock]
    chosen = (available or variants or [None])[0]
    return Card(
        product_id=product.platform_id, title=product.title, price=chosen.price if chosen else "",
        currency=currency, image_url=product.image_url, url=product.url or _demo_url(store, product),
        in_stock=bool(available),
        variant_id=chosen.platform_id if chosen else "",
        variants=tuple(
            {"id": v.platform_id, "title": v.title, "price": str(v.price), "in_stock": v.in_stock} for v in variants
        ),
    )  # fmt: skip


def _demo_url(store: Store | None, product: Product) -> str:
    """The demo shop has no storefront of its own: its product pages are the demo storefront's."""
    return f"/demo/{store.slug}/p/{product.handle}/" if store is not None and store.is_demo else ""


class ShopReader:
    def __init__(self, store: Store):
        self.store = store

    def product_cards(self, *, source: str, collection: str = "", handles=(), limit: int = 4) -> list[Card]:
        products = queries.active_products(self.store)
        if source == "collection":
            products = products.filter(collections__handle=collection)
        elif source == "products":
            found = {p.handle: p for p in products.filter(handle__in=list(handles))}
            chosen = [found[h] for h in handles if h in found]
            return [card_for(p, self.store.currency, self.store) for p in chosen][:limit]
        else:
            products = products.order_by("-platform_created_at", "-id")
        cards = [card_for(p, self.store.currency, self.store) for p in products[: limit * 3]]
        in_stock = [c for c in cards if c.in_stock]
        return (in_stock or cards)[:limit]
