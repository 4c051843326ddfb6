"""Shopify webhook bodies (REST-shaped JSON) turned into the same mirror records the GraphQL adapter makes.

Ids come from ``admin_graphql_api_id`` (the numeric ``id`` loses precision above 2^53 in JSON parsers).
Anything missing or malformed raises BadData, and the webhook is marked failed without writing.
"""

from decimal import Decimal

from integrations.adapters import BadData
from integrations.shopify.sync import _when, gid, money

# topic -> (mirror resource, what to do)
TOPICS = {
    "products/create": ("products", "upsert"),
    "products/update": ("products", "upsert"),
    "products/delete": ("products", "delete"),
    "customers/create": ("customers", "upsert"),
    "customers/update": ("customers", "upsert"),
    "orders/create": ("orders", "upsert"),
    "orders/updated": ("orders", "upsert"),
    "orders/paid": ("orders", "upsert"),
    "orders/fulfilled": ("orders", "upsert"),
    "orders/cancelled": ("orders", "upsert"),
    "fulfillments/create": ("fulfillments", "upsert"),
    "fulfillments/update": ("fulfillments", "upsert"),
    "app/uninstalled": ("", "uninstall"),
}


def _gid(body: dict, kind: str) -> str:
    return gid({"id": body.get("admin_graphql_api_id")}, kind)


def _shop_money(body: dict, key: str) -> str | None:
    return ((body.get(f"{key}_set") or {}).get("shop_money") or {}).get("amount") or body.get(key)


def product(body: dict) -> dict:
    pid = _gid(body, "Product")
    images = [{"url": i["src"], "alt": i.get("alt") or ""} for i in body.get("images") or [] if i.get("src")]
    tags = body.get("tags") or ""
    return {
        "platform_id": pid,
        "title": str(body.get("title") or "").strip() or _missing("product", pid, "title"),
        "handle": str(body.get("handle") or ""),
        "description": "",  # Shopify sends only HTML here; the next sync fills the plain text
        "description_html": str(body.get("body_html") or ""),
        "vendor": str(body.get("vendor") or ""),
        "product_type": str(body.get("product_type") or ""),
        "tags": [t.strip() for t in tags.split(",") if t.strip()] if isinstance(tags, str) else list(tags),
        "status": str(body.get("status") or "active").lower(),
        "images": images,
        "url": "",
        "platform_created_at": _when(body, "created_at", "Product"),
        "platform_updated_at": _when(body, "updated_at", "Product", required=True),
        "variants": [_variant(v, pid, i) for i, v in enumerate(body.get("variants") or [], start=1)],
    }


def _variant(body: dict, pid: str, index: int) -> dict:
    options = [body.get(f"option{n}") for n in (1, 2, 3)]
    return {
        "platform_id": _gid(body, "ProductVariant"),
        "title": str(body.get("title") or "Default"),
        "options": {f"Option {n}": str(o) for n, o in enumerate(options, start=1) if o},
        "price": money(body.get("price"), f"a variant of product {pid}", required=True),
        "compare_at_price": money(body.get("compare_at_price"), f"a variant of product {pid}"),
        "sku": str(body.get("sku") or ""),
        "inventory_quantity": body.get("inventory_quantity"),
        "position": body.get("position") or index,
        "platform_updated_at": _when(body, "updated_at", "Variant"),
    }


def customer(body: dict) -> dict:
    return {
        "platform_id": _gid(body, "Customer"),
        "first_name": str(body.get("first_name") or ""),
        "last_name": str(body.get("last_name") or ""),
        "email": str(body.get("email") or "").lower(),
        "phone": str(body.get("phone") or ""),
        "tags": [t.strip() for t in str(body.get("tags") or "").split(",") if t.strip()],
        "orders_count": int(body.get("orders_count") or 0),
        "amount_spent": money(body.get("total_spent"), "a customer") or Decimal(0),
        "currency": str(body.get("currency") or "")[:3],
        "platform_created_at": _when(body, "created_at", "Customer"),
        "platform_updated_at": _when(body, "updated_at", "Customer", required=True),
    }


def order(body: dict) -> dict:
    oid = _gid(body, "Order")
    label = f"order {body.get('name') or oid}"
    items = body.get("line_items")
    if not isinstance(items, list):
        raise BadData(f"Shopify sent {label} without its line items.")
    customer_body = body.get("customer") or None
    return {
        "platform_id": oid,
        "name": str(body.get("name") or "").strip() or _missing("order", oid, "name"),
        "number": body.get("order_number") if isinstance(body.get("order_number"), int) else None,
        "email": str(body.get("email") or body.get("contact_email") or "").lower(),
        "customer_platform_id": _gid(customer_body, "Customer") if customer_body else "",
        "financial_status": str(body.get("financial_status") or "").lower(),
        "fulfillment_status": str(body.get("fulfillment_status") or "unfulfilled").lower(),
        "subtotal": money(_shop_money(body, "subtotal_price"), label),
        "total": money(_shop_money(body, "total_price"), label, required=True),
        "currency": str(body.get("currency") or "")[:3],
        "status_url": str(body.get("order_status_url") or ""),
        "placed_at": _when(body, "created_at", "Order", required=True),
        "cancelled_at": _when(body, "cancelled_at", "Order"),
        "platform_updated_at": _when(body, "updated_at", "Order", required=True),
        "line_items": [_line_item(i, label) for i in items],
        "fulfillments": [fulfillment(f) for f in body.get("fulfillments") or []],
    }


def _line_item(body: dict, label: str) -> dict:
    product_id, variant_id = body.get("product_id"), body.get("variant_id")
    return {
        "platform_id": _gid(body, "LineItem"),
        "title": str(body.get("title") or body.get("name") or "").strip() or _missing("line item", label, "title"),
        "variant_title": str(body.get("variant_title") or ""),
        "sku": str(body.get("sku") or ""),
        "quantity": max(int(body.get("quantity") or 0), 0),
        "price": money(_shop_money(body, "price"), f"a line item of {label}", required=True),
        # The numeric ids in a body may have lost precision; they only link to rows a sync made, by value.
        "product_platform_id": str(product_id) if product_id else "",
        "variant_platform_id": str(variant_id) if variant_id else "",
    }


def fulfillment(body: dict) -> dict:
    return {
        "platform_id": _gid(body, "Fulfillment"),
        "status": str(body.get("status") or "success").lower(),
        "carrier": str(body.get("tracking_company") or ""),
        "tracking_number": str(body.get("tracking_number") or ""),
        "tracking_url": str(body.get("tracking_url") or ""),
        "platform_created_at": _when(body, "created_at", "Fulfillment"),
        "platform_updated_at": _when(body, "updated_at", "Fulfillment"),
    }


def deleted_id(body: dict) -> str:
    value = body.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise BadData(f"Shopify sent a deletion without a usable id ({value!r}).")
    return str(value)


def _missing(kind: str, ident: str, key: str):
    raise BadData(f"Shopify sent a {kind} ({ident}) without its {key}.")


RECORDS = {"products": product, "customers": customer, "orders": order, "fulfillments": fulfillment}
