"""Alice's mirrored shop for tests that read the mirror (flows, conversations, analytics can use it too)."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from integrations import mirror
from integrations.models import Customer, Order, Product


def _variant(pid, title, price, qty=5):
    return {"platform_id": pid, "title": title, "options": {"Size": title}, "price": Decimal(price),
            "compare_at_price": None, "sku": f"SKU-{pid}", "inventory_quantity": qty, "position": int(pid[-1]),
            "platform_updated_at": None}  # fmt: skip


def _product(pid, title, variants):
    return {"platform_id": pid, "title": title, "handle": title.lower().replace(" ", "-"), "description": title,
            "description_html": f"<p>{title}</p>", "vendor": "Alice", "product_type": "Apparel", "tags": [],
            "status": "active", "images": [{"url": f"https://cdn.example/{pid}.jpg", "alt": title}], "url": "",
            "platform_created_at": None, "platform_updated_at": None, "variants": variants}  # fmt: skip


def _customer(pid, first, email):
    return {"platform_id": pid, "first_name": first, "last_name": "Example", "email": email, "phone": "",
            "tags": [], "orders_count": 1, "amount_spent": Decimal("40"), "currency": "USD",
            "platform_created_at": None, "platform_updated_at": None}  # fmt: skip


def _order(pid, name, email, customer_pid, product, variant, days_ago, tracking=""):
    placed = timezone.now() - timedelta(days=days_ago)
    return {
        "platform_id": pid, "name": name, "number": int(name[1:]), "email": email,
        "customer_platform_id": customer_pid, "financial_status": "paid",
        "fulfillment_status": "fulfilled" if tracking else "unfulfilled", "subtotal": Decimal("40"),
        "total": Decimal("40"), "currency": "USD", "status_url": "", "placed_at": placed, "cancelled_at": None,
        "platform_updated_at": placed,
        "line_items": [{"platform_id": f"{pid}1", "title": "Linen Shirt", "variant_title": "M", "sku": "",
                        "quantity": 1, "price": Decimal("40"), "product_platform_id": product,
                        "variant_platform_id": variant}],
        "fulfillments": [{"platform_id": f"{pid}9", "status": "success", "carrier": "UPS", "tracking_number": tracking,
                          "tracking_url": "", "platform_created_at": placed, "platform_updated_at": placed}]
        if tracking else [],
    }  # fmt: skip


def fill_mirror(store) -> SimpleNamespace:
    now = timezone.now()
    mirror.write("products", store, [
        _product("101", "Linen Shirt", [_variant("1011", "S", "40.00"), _variant("1012", "M", "40.00", 0)]),
        _product("102", "Straw Hat", [_variant("1021", "One size", "25.00")]),
    ], now)  # fmt: skip
    mirror.write("customers", store, [
        _customer("201", "Carol", "carol@example.com"), _customer("202", "Dave", "dave@example.com"),
    ], now)  # fmt: skip
    mirror.write("orders", store, [
        _order("301", "#1001", "carol@example.com", "201", "101", "1012", days_ago=9, tracking="1Z001"),
        _order("302", "#1002", "carol@example.com", "201", "102", "1021", days_ago=2),
        _order("303", "#1003", "dave@example.com", "202", "101", "1011", days_ago=1),
    ], now)  # fmt: skip
    return SimpleNamespace(
        shirt=Product.objects.get(store=store, platform_id="101"),
        hat=Product.objects.get(store=store, platform_id="102"),
        carol=Customer.objects.get(store=store, platform_id="201"),
        dave=Customer.objects.get(store=store, platform_id="202"),
        orders={o.name: o for o in Order.objects.filter(store=store)},
    )
