"""The read-only shop a flow sees (``ctx.shop``): product cards, search, recommendations, orders and cart
links built from the mirror, through integrations' query functions. Cards carry the platform's ids, which the
shop's own cart understands. Everything a node gets back is plain data (cards, dicts, strings).

Order look-ups are where the ownership rules live: a verified customer reads their own orders; anyone else
must give an order's number together with the email on it, and a wrong pair is answered exactly like an
unknown order. Misses are counted per contact and per store in Redis, and past a limit the look-up is not
even tried (``"throttled"``), so guessing numbers and emails gets nowhere.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from conversations.context import order_data, verified_customer
from flows.nodes.base import Card
from integrations import queries
from integrations.checkout import CartLine, cart_url
from integrations.models import Product, ProductStatus
from integrations.search_filters import Filters
from tenants import throttle
from tenants.models import Store

ORDER_MISSES_PER_CONTACT = 5  # wrong number/email pairs one contact may try ...
ORDER_MISSES_PER_STORE = 50  # ... and all of a store's shoppers together ...
ORDER_MISS_WINDOW = 15 * 60  # ... in this many seconds


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


def _price(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


class ShopReader:
    def __init__(self, store: Store, contact=None):
        self.store = store
        self.contact = contact

    def _cards(self, products: Iterable[Product]) -> list[Card]:
        return [card_for(p, self.store.currency, self.store) for p in products]

    def product_cards(self, *, source: str, collection: str = "", handles=(), limit: int = 4) -> list[Card]:
        products = queries.active_products(self.store)
        if source == "collection":
            products = products.filter(collections__handle=collection)
        elif source == "products":
            found = {p.handle: p for p in products.filter(handle__in=list(handles))}
            return self._cards([found[h] for h in handles if h in found])[:limit]
        else:
            products = products.order_by("-platform_created_at", "-id")
        cards = self._cards(products[: limit * 3])
        in_stock = [c for c in cards if c.in_stock]
        return (in_stock or cards)[:limit]

    # --- search and recommendations ---------------------------------------------------------------

    def search_cards(self, text: str = "", *, collection: str = "", min_price=None, max_price=None,
                     in_stock: bool = False, limit: int = 4) -> list[Card]:  # fmt: skip
        """Catalog search for what the shopper typed, narrowed by the node's filters (they win over the text)."""
        filters = Filters(collection=collection or None, min_price=_price(min_price), max_price=_price(max_price),
                          in_stock=in_stock)  # fmt: skip
        if not text.strip() and filters == Filters():
            return []
        return self._cards(queries.search_products(self.store, text, filters, limit=limit))

    def collections(self, *, limit: int = 8) -> list[dict]:
        """[{"handle", "title"}] of the collections worth browsing."""
        return [{"handle": c.handle, "title": c.title} for c in queries.browsable_collections(self.store, limit=limit)]

    def _product(self, reference: str) -> Product | None:
        """A product by its platform id or its handle."""
        reference = str(reference or "").strip()
        if not reference:
            return None
        found = queries.get_products_by_platform_ids(self.store, [reference])
        return found[0] if found else queries.get_product_by_handle(self.store, reference)

    def recommendation_cards(
        self, kind: str, *, product: str = "", seen: Iterable[str] = (), limit: int = 4
    ) -> list[Card]:
        """``bought_together`` or ``similar`` for ``product`` (platform id or handle); ``personal`` from the
        verified customer's orders and the products in ``seen`` (platform ids: the cart, cards clicked)."""
        if kind == "personal":
            seen_ids = [p.pk for p in queries.get_products_by_platform_ids(self.store, list(seen)[:20])]
            customer = verified_customer(self.contact) if self.contact is not None else None
            return self._cards(queries.recommend_for_contact(self.store, viewed_ids=seen_ids, customer=customer,
                                                             limit=limit))  # fmt: skip
        anchor = self._product(product)
        if anchor is None:
            return []
        return self._cards(queries.recommend_for_product(self.store, anchor, limit=limit).get(kind, []))

    def product_availability(self, product: str, variant: str = "") -> dict | None:
        """{"product_id", "title", "in_stock", "variant_id", "variant_title"} of a product (platform id or
        handle), or of one of its variants; None when the store has no such active product."""
        found = self._product(product)
        if found is None or found.status != ProductStatus.ACTIVE:
            return None
        variants = list(found.variants.all())
        chosen = next((v for v in variants if v.platform_id == str(variant)), None) if variant else None
        in_stock = chosen.in_stock if chosen is not None else any(v.in_stock for v in variants)
        return {
            "product_id": found.platform_id, "title": found.title, "in_stock": in_stock,
            "variant_id": chosen.platform_id if chosen else "", "variant_title": chosen.title if chosen else "",
        }  # fmt: skip

    # --- orders -----------------------------------------------------------------------------------

    def _customer(self):
        return verified_customer(self.contact) if self.contact is not None else None

    def verified_orders(self, *, limit: int = 5) -> list[dict]:
        """The verified customer's recent orders, newest first; [] for a shopper who is not verified."""
        customer = self._customer()
        if customer is None:
            return []
        return [{**order_data(o), "id": o.pk} for o in queries.orders_of_customer(self.store, customer, limit=limit)]

    def verified_order(self, reference: str) -> dict | None:
        """One of the verified customer's own orders by what they call it; None for anyone else's."""
        customer = self._customer()
        wanted = queries.order_reference(reference).lstrip("#").casefold()
        if customer is None or not wanted:
            return None
        for order in queries.orders_of_customer(self.store, customer, limit=100):
            if wanted in (order.name.lstrip("#").casefold(), str(order.number or "")):
                return {**order_data(order), "id": order.pk}
        return None

    def _throttle_keys(self) -> list[tuple[tuple[str, ...], int]]:
        contact = str(self.contact.pk) if self.contact is not None else "anonymous"
        return [(("order-miss-contact", str(self.store.pk), contact), ORDER_MISSES_PER_CONTACT),
                (("order-miss-store", str(self.store.pk)), ORDER_MISSES_PER_STORE)]  # fmt: skip

    def find_order(self, reference: str, email: str) -> dict:
        """{"status": "found", "order": {...}} only when the number and the email belong to the same order;
        {"status": "missing"} alike for an unknown number and for someone else's; {"status": "throttled"}
        once this contact, or this store's shoppers together, missed too often."""
        limits = self._throttle_keys()
        if any(throttle.count(*key) >= limit for key, limit in limits):
            return {"status": "throttled"}
        order = queries.get_order_by_name(self.store, reference, email=email)
        if order is None:
            for key, _limit in limits:
                throttle.hit(*key, window=ORDER_MISS_WINDOW)
            return {"status": "missing"}
        return {"status": "found", "order": {**order_data(order), "id": order.pk}}

    # --- cart links and discounts -----------------------------------------------------------------

    def cart_lines(self, items: Iterable[dict]) -> tuple[list[dict], list[str]]:
        """The cart lines the store can still sell ({"variant_id", "product_id", "title", "quantity", "price",
        "in_stock"}), and the variant ids it cannot (deleted, archived, never the store's)."""
        wanted: dict[str, int] = {}
        for item in items:
            variant_id = str(item.get("variant_id") or "").strip()
            try:
                quantity = max(1, min(int(item.get("quantity") or 1), 99))
            except (TypeError, ValueError):
                quantity = 1
            if variant_id:
                wanted[variant_id] = wanted.get(variant_id, 0) + quantity
        variants = {v.platform_id: v for v in queries.get_variants_by_platform_ids(self.store, list(wanted)[:50])}
        lines, dropped = [], []
        for variant_id, quantity in wanted.items():
            variant = variants.get(variant_id)
            if variant is None or variant.product.status != ProductStatus.ACTIVE:
                dropped.append(variant_id)
                continue
            lines.append({"variant_id": variant_id, "product_id": variant.product.platform_id,
                          "title": variant.product.title, "quantity": quantity, "price": str(variant.price),
                          "in_stock": variant.in_stock})  # fmt: skip
        return lines, dropped

    def cart_url(self, lines: Iterable[dict], code: str = "") -> str:
        """A link to the store's cart with these lines (from ``cart_lines``) and the code applied; "" if none."""
        return cart_url(self.store, [CartLine(str(line["variant_id"]), int(line["quantity"])) for line in lines],
                        code=code)  # fmt: skip

    def discount_policy(self) -> dict:
        """{"unique_codes": bool, "max_percent": int}: may flows create codes on this store's platform."""
        connection = queries.get_connection(self.store)
        connected = connection is not None and connection.is_connected
        return {"unique_codes": bool(self.store.discount_codes_enabled and connected),
                "max_percent": self.store.discount_max_percent}  # fmt: skip
