"""The demo store's mirror: a catalog built from Vendure's sample data (MIT, see demo_data/LICENSE.vendure; photos
from Unsplash, served from this app's static files), with colourways, customers and orders in every status.

Written through the same ``integrations.mirror`` upserts a real sync uses, with stable ids, so running it again
refreshes the same rows instead of adding more.
"""

import csv
import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from integrations import mirror
from integrations.queries import mirror_counts
from integrations.recommendations import refresh_recommendations
from tenants.models import Store

DATA = Path(__file__).parent / "demo_data" / "products.csv"
PHOTOS = "integrations/demo/"

# Three colourways per product, by the product's most specific category: each becomes its own product.
COLOURWAYS = {
    "Computers": ["Space Grey", "Silver", "Midnight"],
    "Photo": ["Classic Black", "Chrome Silver", "Tan Leather"],
    "Equipment": ["Racing Red", "Matte Black", "Ocean Blue"],
    "Footwear": ["Core Black", "Cloud White", "Solar Red"],
    "Plants": ["Terracotta Pot", "Glazed White Pot", "Charcoal Pot"],
    "Furniture": ["Natural Oak", "Walnut", "Charcoal"],
}
# (financial, fulfilment, cancelled): every status a shopper may ask about.
ORDER_STATES = [
    ("paid", "fulfilled", False), ("paid", "unfulfilled", False), ("paid", "partially_fulfilled", False),
    ("paid", "in_progress", False), ("paid", "on_hold", False), ("paid", "scheduled", False),
    ("paid", "pending_fulfillment", False), ("paid", "open", False), ("paid", "request_declined", False),
    ("pending", "unfulfilled", False), ("authorized", "unfulfilled", False), ("partially_paid", "unfulfilled", False),
    ("partially_refunded", "fulfilled", False), ("refunded", "fulfilled", False), ("refunded", "restocked", True),
    ("voided", "unfulfilled", True), ("expired", "unfulfilled", True),
]  # fmt: skip
SHIPPED = {"fulfilled", "partially_fulfilled", "in_progress", "restocked"}
CARRIERS = [
    ("UPS", "1Z{n:016d}", "https://www.ups.com/track?tracknum={number}"),
    ("USPS", "9400{n:018d}", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"),
    ("FedEx", "{n:012d}", "https://www.fedex.com/fedextrack/?trknbr={number}"),
    ("DHL", "JD{n:018d}", "https://www.dhl.com/en/express/tracking.html?AWB={number}"),
]
FIRST = ["Ava", "Liam", "Maya", "Noah", "Zoe", "Omar", "Ines", "Kenji", "Lena", "Mateo", "Priya", "Sam", "Tara",
         "Yusuf", "Chloe", "Diego", "Elif", "Hana", "Jonas", "Nora"]  # fmt: skip
LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Haddad", "Kowalski", "Rossi", "Fischer", "Silva"]


def _catalog() -> list[dict]:
    """Vendure's rows grouped into products: a named row starts one, the unnamed rows below add variants."""
    products = []
    with DATA.open(newline="") as f:
        for raw in csv.DictReader(f):
            row = {key.strip(): (value or "").strip() for key, value in raw.items()}
            if row["name"]:
                facets = [facet.split(":", 1) for facet in row["facets"].split("|") if ":" in facet]
                products.append({
                    "name": row["name"], "slug": row["slug"], "description": row["description"],
                    "photo": row["assets"].split("|")[0], "groups": [g for g in row["optionGroups"].split("|") if g],
                    "categories": [v for k, v in facets if k == "category"],
                    "brand": next((v for k, v in facets if k == "brand"), "Northwind"), "variants": [],
                })  # fmt: skip
            products[-1]["variants"].append(
                {"values": [v for v in row["optionValues"].split("|") if v], "sku": row["sku"], "price": row["price"]}
            )
    return products


def _product_records(rng: random.Random) -> tuple[list[dict], dict[str, list[str]]]:
    records, collections, n = [], {}, 0
    for base in _catalog():
        category = base["categories"][-1]
        for colour in COLOURWAYS.get(category, ["Classic"]):
            n += 1
            title = f"{base['name']} — {colour}"
            photo = settings.PUBLIC_URL + settings.STATIC_URL + PHOTOS + base["photo"]
            variants = []
            for position, spec in enumerate(base["variants"], start=1):
                options = {g.title(): v for g, v in zip(base["groups"], spec["values"], strict=False)}
                options["Colour"] = colour
                variants.append({
                    "platform_id": f"{n}{position:03d}", "title": " / ".join(options.values()), "options": options,
                    "price": Decimal(spec["price"]), "compare_at_price": None, "position": position,
                    "sku": f"{spec['sku']}-{''.join(w[0] for w in colour.split())}",
                    "inventory_quantity": rng.choice([0, 2, 5, 12, 40, 100]), "platform_updated_at": None,
                })  # fmt: skip
            if n % 7 == 0:  # a few on sale
                for v in variants:
                    v["compare_at_price"] = (v["price"] * Decimal("1.25")).quantize(Decimal("0.01"))
            records.append({
                "platform_id": str(n), "title": title, "handle": slugify(f"{base['slug']}-{colour}"),
                "description": f"{base['description']} In {colour.lower()}.",
                "description_html": f"<p>{base['description']}</p><p>In {colour.lower()}.</p>",
                "vendor": base["brand"], "product_type": category, "tags": [*base["categories"], colour],
                "status": "active", "images": [{"url": photo, "alt": title}], "url": "",
                "platform_created_at": None, "platform_updated_at": None, "variants": variants,
            })  # fmt: skip
            for name in base["categories"]:
                collections.setdefault(name, []).append(str(n))
    return records, collections


def _customers(rng: random.Random) -> list[dict]:
    people = [(first, last) for last in LAST for first in FIRST]
    rng.shuffle(people)
    return [
        {
            "platform_id": str(5000 + i), "first_name": first, "last_name": last,
            "email": f"{first}.{last}@example.com".lower(), "phone": f"+1555{rng.randrange(10**6, 10**7)}",
            "tags": ["vip"] if i % 9 == 0 else [], "orders_count": 0, "amount_spent": Decimal(0), "currency": "USD",
            "platform_created_at": None, "platform_updated_at": None,
        }
        for i, (first, last) in enumerate(people[:45])
    ]  # fmt: skip


def _orders(rng: random.Random, products: list[dict], customers: list[dict]) -> list[dict]:
    now, orders = timezone.now(), []
    for i in range(120):
        financial, fulfilment, cancelled = ORDER_STATES[i % len(ORDER_STATES)]
        customer = customers[i % len(customers)] if i % 11 else None  # a few guest checkouts
        placed = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        lines = []
        for j, product in enumerate(rng.sample(products, rng.randint(1, 3))):
            variant = rng.choice(product["variants"])
            lines.append({
                "platform_id": f"{9000 + i}{j:02d}", "title": product["title"], "variant_title": variant["title"],
                "sku": variant["sku"], "quantity": rng.randint(1, 3), "price": variant["price"],
                "product_platform_id": product["platform_id"], "variant_platform_id": variant["platform_id"],
            })  # fmt: skip
        total = sum(line["price"] * line["quantity"] for line in lines)
        orders.append({
            "platform_id": str(9000 + i), "name": f"#{1001 + i}", "number": 1001 + i,
            "email": customer["email"] if customer else f"guest{i}@example.net",
            "customer_platform_id": customer["platform_id"] if customer else "",
            "financial_status": financial, "fulfillment_status": fulfilment, "subtotal": total, "total": total,
            "currency": "USD", "status_url": "", "placed_at": placed, "cancelled_at": placed + timedelta(hours=5) if cancelled else None,  # noqa: E501
            "platform_updated_at": placed, "line_items": lines,
            "fulfillments": _fulfillments(i, placed) if fulfilment in SHIPPED else [],
        })  # fmt: skip
        if customer and financial not in ("voided", "expired"):
            customer["orders_count"] += 1
            customer["amount_spent"] += total
    return orders


def _fulfillments(i: int, placed) -> list[dict]:
    carrier, pattern, url = CARRIERS[i % len(CARRIERS)]
    number = pattern.format(n=7_340_000 + i * 7919)
    return [{
        "platform_id": str(20000 + i), "status": "success", "carrier": carrier, "tracking_number": number,
        "tracking_url": url.format(number=number), "platform_created_at": placed + timedelta(days=1),
        "platform_updated_at": placed + timedelta(days=1),
    }]  # fmt: skip


@transaction.atomic
def seed_demo_mirror(store: Store) -> dict[str, int]:
    """Fill (or refresh) the store's mirror with the demo shop; returns the mirror's counts."""
    rng = random.Random(2026)  # noqa: S311 (the same demo shop every time; nothing secret)
    now = timezone.now()
    products, collections = _product_records(rng)
    customers = _customers(rng)
    orders = _orders(rng, products, customers)
    mirror.write("products", store, products, now)
    mirror.write("collections", store, [
        {"platform_id": str(700 + i), "title": name, "handle": slugify(name), "description_html": "",
         "platform_updated_at": None, "product_ids": ids}
        for i, (name, ids) in enumerate(sorted(collections.items()))
    ], now)  # fmt: skip
    mirror.write("customers", store, customers, now)
    mirror.write("orders", store, orders, now)
    refresh_recommendations(store)
    return mirror_counts(store)
