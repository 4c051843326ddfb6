"""Bulk writes of platform-neutral records into the mirror. Call inside a transaction (one per page).

Each ``write_*`` upserts a page of top-level rows on (store, platform_id), then replaces their children
(variants, line items, fulfillments, collection memberships) with exactly those the records hold, so the
same page written twice leaves the same rows. Text longer than a column is clipped, never refused.
"""

from datetime import datetime

from django.db import models

from integrations.models import (
    Collection,
    CollectionProduct,
    Customer,
    Fulfillment,
    LineItem,
    Order,
    Product,
    Variant,
)
from integrations.restock import mark_restocked
from integrations.search import search_text_for
from tenants.models import Store

KEY = ["store", "platform_id"]


def _columns(model) -> list[str]:
    """The fields an upsert rewrites: everything but the key and the primary key."""
    return [f.name for f in model._meta.concrete_fields if f.name not in ("id", "store", "platform_id")]


def _clip(model, data: dict) -> dict:
    for name, value in data.items():
        field = model._meta.get_field(name)
        if isinstance(value, str) and isinstance(field, models.CharField) and field.max_length:
            data[name] = value[: field.max_length]
    return data


def _upsert(model, store: Store, rows: list[dict], now: datetime) -> dict[str, int]:
    """Insert or update ``rows`` (dicts of field values); returns {platform_id: id}."""
    if not rows:
        return {}
    # One row per id (PostgreSQL refuses to upsert the same row twice in one statement); the last wins.
    rows = list({row["platform_id"]: row for row in rows}.values())
    objects = [model(store=store, synced_at=now, **_clip(model, row)) for row in rows]
    model.objects.bulk_create(objects, update_conflicts=True, unique_fields=KEY, update_fields=_columns(model))
    ids = [row["platform_id"] for row in rows]
    return dict(model.objects.filter(store=store, platform_id__in=ids).values_list("platform_id", "id"))


def _only(record: dict, *without: str) -> dict:
    return {k: v for k, v in record.items() if k not in without}


def write_products(store: Store, records: list[dict], now: datetime) -> None:
    rows = [
        {**_only(r, "variants"), **_from_variants(r["variants"]), "search_text": search_text_for(r)} for r in records
    ]
    ids = _upsert(Product, store, rows, now)
    variants = [
        {**v, "product_id": ids[r["platform_id"]]} for r in records for v in r["variants"]
    ]  # fmt: skip
    _upsert(Variant, store, variants, now)
    keep = [v["platform_id"] for v in variants]
    Variant.objects.filter(store=store, product_id__in=ids.values()).exclude(platform_id__in=keep).delete()
    mark_restocked(store, list(ids.values()), now)  # syncs and webhooks both write here


def _from_variants(variants: list[dict]) -> dict:
    """What the product row keeps of its variants: whether any can be bought, and the lowest price."""
    return {
        "in_stock": any(v.get("inventory_quantity") is None or v["inventory_quantity"] > 0 for v in variants),
        "min_price": min((v["price"] for v in variants if v.get("price") is not None), default=None),
    }


def write_collections(store: Store, records: list[dict], now: datetime) -> None:
    ids = _upsert(Collection, store, [_only(r, "product_ids") for r in records], now)
    wanted = {pid for r in records for pid in r["product_ids"]}
    products = dict(Product.objects.filter(store=store, platform_id__in=wanted).values_list("platform_id", "id"))
    CollectionProduct.objects.filter(store=store, collection_id__in=ids.values()).delete()
    CollectionProduct.objects.bulk_create(
        [
            CollectionProduct(store=store, collection_id=ids[r["platform_id"]], product_id=products[pid])
            for r in records
            for pid in dict.fromkeys(r["product_ids"])
            if pid in products
        ]
    )


def write_customers(store: Store, records: list[dict], now: datetime) -> None:
    _upsert(Customer, store, records, now)


def write_orders(store: Store, records: list[dict], now: datetime) -> None:
    customers = _lookup(Customer, store, {r["customer_platform_id"] for r in records})
    orders = [
        {**_only(r, "line_items", "fulfillments"), "customer_id": customers.get(r["customer_platform_id"])}
        for r in records
    ]
    ids = _upsert(Order, store, orders, now)
    items = [{**i, "order_id": ids[r["platform_id"]]} for r in records for i in r["line_items"]]
    products = _lookup(Product, store, {i["product_platform_id"] for i in items})
    variants = _lookup(Variant, store, {i["variant_platform_id"] for i in items})
    for item in items:
        item["product_id"] = products.get(item["product_platform_id"])
        item["variant_id"] = variants.get(item["variant_platform_id"])
    _upsert(LineItem, store, items, now)
    fulfillments = [{**f, "order_id": ids[r["platform_id"]]} for r in records for f in r["fulfillments"]]
    _upsert(Fulfillment, store, fulfillments, now)
    for model, rows in ((LineItem, items), (Fulfillment, fulfillments)):
        keep = [row["platform_id"] for row in rows]
        model.objects.filter(store=store, order_id__in=ids.values()).exclude(platform_id__in=keep).delete()


def write_fulfillments(store: Store, order: Order, records: list[dict], now: datetime) -> None:
    """Upsert an order's fulfillments one webhook brought (the others stay)."""
    _upsert(Fulfillment, store, [{**r, "order_id": order.pk} for r in records], now)


def _lookup(model, store: Store, platform_ids: set[str]) -> dict[str, int]:
    platform_ids.discard("")
    if not platform_ids:
        return {}
    return dict(model.objects.filter(store=store, platform_id__in=platform_ids).values_list("platform_id", "id"))


WRITERS = {
    "products": (write_products, Product),
    "collections": (write_collections, Collection),
    "customers": (write_customers, Customer),
    "orders": (write_orders, Order),
}


def write(resource: str, store: Store, records: list[dict], now: datetime) -> None:
    WRITERS[resource][0](store, records, now)


def prune(resource: str, store: Store, *, older_than: datetime) -> int:
    """After a complete full sync: drop rows the platform no longer has (not seen since the run began)."""
    model = WRITERS[resource][1]
    deleted, _ = model.objects.filter(store=store, synced_at__lt=older_than).delete()
    return deleted


def clear_mirror(store: Store) -> int:
    """Remove everything mirrored for the store (another shop is being connected)."""
    total = 0
    for model in (CollectionProduct, Fulfillment, LineItem, Order, Customer, Collection, Variant, Product):
        deleted, _ = model.objects.filter(store=store).delete()
        total += deleted
    return total
