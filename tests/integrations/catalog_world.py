"""A small clothing catalog written through the mirror as a sync writes it, for search and recommendation tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from integrations import mirror
from integrations.models import Product


def variant(pid: str, price: str, qty: int | None = 5, **options) -> dict:
    return {"platform_id": pid, "title": " / ".join(options.values()) or "Default", "options": options,
            "price": Decimal(price), "compare_at_price": None, "sku": f"SKU-{pid}", "inventory_quantity": qty,
            "position": 1, "platform_updated_at": None}  # fmt: skip


def product(pid: str, title: str, variants: list[dict], *, tags=(), product_type="", vendor="Alice",
            description="", status="active") -> dict:  # fmt: skip
    return {"platform_id": pid, "title": title, "handle": title.lower().replace(" ", "-"),
            "description": description, "description_html": "", "vendor": vendor, "product_type": product_type,
            "tags": list(tags), "status": status, "images": [], "url": "", "platform_created_at": None,
            "platform_updated_at": None, "variants": variants}  # fmt: skip


CATALOG = [
    product("1", "Summer Dress", [variant("11", "45.00", Size="S", Colour="Red"),
                                  variant("12", "45.00", 0, Size="M", Colour="Red")],
            tags=["summer"], product_type="Dress", description="A light floral dress for warm days."),
    product("2", "Linen Summer Dress", [variant("21", "89.00", Size="M", Colour="Blue")],
            tags=["summer", "linen"], product_type="Dress"),
    product("3", "Winter Coat", [variant("31", "120.00", Size="M", Colour="Black")], product_type="Coat",
            description="Warm wool coat."),
    product("4", "Linen Shirt", [variant("41", "40.00", Size="M", Colour="White"),
                                 variant("42", "40.00", 0, Size="L", Colour="White")],
            tags=["linen"], product_type="Shirt"),
    product("5", "Cotton Shirt", [variant("51", "35.00", Size="M", Colour="Blue")], tags=["cotton"],
            product_type="Shirt"),
    product("6", "Straw Hat", [variant("61", "25.00", Size="One size")], tags=["summer"], product_type="Hat"),
    product("7", "Sold Out Sandals", [variant("71", "30.00", 0, Size="M")], tags=["summer"],
            product_type="Shoes"),
    product("8", "Draft Dress", [variant("81", "20.00", Size="M")], product_type="Dress", status="draft"),
    product("9", "Coffee Beans", [variant("91", "12.00", None)], tags=["consumable"], product_type="Coffee"),
    product("10", "Canvas Tote", [variant("101", "18.00")], product_type="Bag"),
]  # fmt: skip


def fill_catalog(store) -> dict[str, Product]:
    """The catalog, the collections "Dresses" and "Summer Sale"; returns products by title."""
    now = timezone.now()
    mirror.write("products", store, CATALOG, now)
    mirror.write("collections", store, [
        {"platform_id": "700", "title": "Dresses", "handle": "dresses", "description_html": "",
         "platform_updated_at": None, "product_ids": ["1", "2", "8"]},
        {"platform_id": "701", "title": "Summer Sale", "handle": "summer-sale", "description_html": "",
         "platform_updated_at": None, "product_ids": ["1", "6", "7"]},
    ], now)  # fmt: skip
    return {p.title: p for p in Product.objects.filter(store=store)}


def order(pid: str, email: str, product_ids: list[str], *, days_ago: int = 1, cancelled=False) -> dict:
    placed = timezone.now() - timedelta(days=days_ago)
    return {
        "platform_id": pid, "name": f"#{pid}", "number": int(pid), "email": email, "customer_platform_id": "",
        "financial_status": "paid", "fulfillment_status": "unfulfilled", "subtotal": Decimal("10"),
        "total": Decimal("10"), "currency": "USD", "status_url": "", "placed_at": placed,
        "cancelled_at": placed if cancelled else None, "platform_updated_at": placed,
        "line_items": [{"platform_id": f"{pid}-{i}", "title": "x", "variant_title": "", "sku": "", "quantity": 1,
                        "price": Decimal("10"), "product_platform_id": p, "variant_platform_id": ""}
                       for i, p in enumerate(product_ids)],
        "fulfillments": [],
    }  # fmt: skip
