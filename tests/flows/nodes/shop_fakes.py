"""A shop on plain data for node unit tests: the same methods as ``conversations.shop.ShopReader``, recording
what the node asked. (The real reader is tested end to end in tests/conversations/test_shop_nodes.py.)"""

import dataclasses

from flows.nodes.base import Card
from tests.flows.nodes.helpers import context

SHIRT = Card(product_id="101", title="Linen Shirt", price="40.00", currency="USD", variant_id="1011")
HAT = Card(product_id="102", title="Straw Hat", price="20.00", currency="USD", variant_id="1021")
ORDER = {
    "id": 7, "name": "#1042", "financial_status": "paid", "fulfillment_status": "fulfilled", "total": "60.00",
    "currency": "USD", "placed_at": "2026-03-03T10:00:00+00:00", "cancelled": False, "status_url": "",
    "items": ["1 x Linen Shirt", "1 x Straw Hat"],
    "shipments": [{"status": "success", "carrier": "UPS", "tracking_number": "1Z999",
                   "tracking_url": "https://ups.example/track?n=1Z999"}],
}  # fmt: skip


class FakeShop:
    def __init__(self, *, cards=(), collections=(), orders=(), own=(), throttled=False, products=None,
                 variants=None, policy=None):  # fmt: skip
        self.cards, self.collection_list = list(cards), list(collections)
        self.orders = {o["name"]: o for o in orders}  # findable with the right email: name -> order
        self.emails = {o["name"]: o.get("email", "ann@example.com") for o in orders}
        self.own = list(own)  # a verified customer's orders
        self.throttled = throttled
        self.products = products or {}  # platform id -> availability dict
        self.variants = variants or {}  # variant id -> line dict
        self.policy = policy or {"unique_codes": False, "max_percent": 15}
        self.asked: list[tuple] = []

    def search_cards(self, text="", **filters):
        self.asked.append(("search", text, filters))
        return self.cards[: filters.get("limit", 4)]

    def collections(self, *, limit=8):
        return self.collection_list[:limit]

    def recommendation_cards(self, kind, *, product="", seen=(), limit=4):
        self.asked.append(("recommend", kind, product, tuple(seen)))
        return self.cards[:limit]

    def product_availability(self, product, variant=""):
        self.asked.append(("availability", product, variant))
        return self.products.get(product)

    def verified_orders(self, *, limit=5):
        return self.own[:limit]

    def verified_order(self, reference):
        wanted = reference.lstrip("#").lower()
        return next((o for o in self.own if o["name"].lstrip("#").lower() == wanted), None)

    def find_order(self, reference, email):
        self.asked.append(("find", reference, email))
        if self.throttled:
            return {"status": "throttled"}
        name = f"#{reference.lstrip('#')}"
        if name in self.orders and self.emails[name] == email:
            return {"status": "found", "order": self.orders[name]}
        return {"status": "missing"}

    def cart_lines(self, items):
        lines, dropped = [], []
        for item in items:
            line = self.variants.get(str(item["variant_id"]))
            if line is None:
                dropped.append(str(item["variant_id"]))
            else:
                lines.append({**line, "quantity": int(item.get("quantity") or 1)})
        return lines, dropped

    def cart_url(self, lines, code=""):
        items = ",".join(f"{line['variant_id']}:{line['quantity']}" for line in lines)
        if not items and not code:
            return ""
        return f"https://shop.example/cart/{items}" + (f"?discount={code}" if code else "")

    def discount_policy(self):
        return dict(self.policy)


def shop_context(shop, *, faq_answer: str = "", **kwargs):
    return dataclasses.replace(context(**kwargs), shop=shop, faq_answer=faq_answer)


def run_node(module, shop, config: dict, **kwargs):
    return module.run(module.Config.model_validate(config), shop_context(shop, **kwargs))
