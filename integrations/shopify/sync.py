"""The Shopify adapter: pages of GraphQL Admin API answers turned into platform-neutral mirror records.

A record is complete when returned: a product's overflowing variants, a collection's products and an
order's line items are fetched here before the page is handed on, so a page is written all at once.
Anything missing or malformed raises BadData naming the row, and the sync writes nothing of that page.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.dateparse import parse_datetime

from integrations.adapters import BadData, Page, ShopInfo, parse_money
from integrations.shopify import queries as q
from integrations.shopify.bulk import BulkReader, is_bulk_cursor, start_bulk_export
from integrations.shopify.client import GraphQLClient, shopify_session


@contextmanager
def open_adapter(connection, heartbeat: Callable[[], None] = lambda: None) -> Iterator["ShopifyAdapter"]:
    """The adapter for a connection, inside its own session (cleared however the block ends)."""
    token = connection.secrets().get("access_token", "")
    with shopify_session(connection.shop, token):
        yield ShopifyAdapter(GraphQLClient(connection.shop), heartbeat)


def search_since(since: datetime | None) -> str | None:
    # ">=" rather than ">": rows sharing the watermark's second are read again (harmless) instead of lost.
    return None if since is None else f"updated_at:>='{since.strftime('%Y-%m-%dT%H:%M:%SZ')}'"


class ShopifyAdapter:
    def __init__(self, client: GraphQLClient, heartbeat: Callable[[], None] = lambda: None):
        self.client = client
        self.heartbeat = heartbeat
        self.bulk = BulkReader()

    def shop_info(self) -> ShopInfo:
        shop = self.client.query(q.SHOP)["shop"]
        return ShopInfo(
            name=shop.get("name") or "", domain=shop.get("myshopifyDomain") or self.client.shop,
            currency=shop.get("currencyCode") or "", timezone=shop.get("ianaTimezone") or "",
        )  # fmt: skip

    def count(self, resource: str, *, since: datetime | None) -> int | None:
        query = q.COUNTS.get(resource)
        if query is None:
            return None
        data = self.client.query(query, {"query": search_since(since)})
        return (data.get("count") or {}).get("count")

    def fetch(self, resource: str, *, since: datetime | None, after: str | None) -> Page:
        if resource == "products" and after is None and since is None and self._large_catalog():
            after = start_bulk_export(self.client, heartbeat=self.heartbeat)  # None: read page by page instead
        if is_bulk_cursor(after):
            nodes, cursor, has_next = self.bulk.page(after)
            return Page(records=[self._product(node) for node in nodes], cursor=cursor, has_next=has_next)
        query, size = q.PAGES[resource]
        data = self.client.query(query, {"first": size, "after": after, "query": search_since(since)})
        connection = _need(data, resource, resource)
        nodes = connection.get("nodes") or []
        records = [getattr(self, f"_{resource[:-1]}")(node) for node in nodes]
        info = connection.get("pageInfo") or {}
        return Page(records=records, cursor=info.get("endCursor"), has_next=bool(info.get("hasNextPage")))

    def _large_catalog(self) -> bool:
        count = self.count("products", since=None)
        return count is not None and count >= settings.SHOPIFY_BULK_MIN_PRODUCTS

    # --- one record per node; nested overflow fetched here ------------------------------------------

    def _product(self, node: dict) -> dict:
        pid = gid(node, "Product")
        variants = self._rest(node["variants"], q.PRODUCT_VARIANTS, node["id"], ("product", "variants"))
        images = []
        for media in (node.get("media") or {}).get("nodes") or []:
            image = (media or {}).get("image") or {}
            if image.get("url"):
                images.append({"url": image["url"], "alt": media.get("alt") or image.get("altText") or ""})
        return {
            "platform_id": pid,
            "title": _text(node, "title", "Product", required=True),
            "handle": _text(node, "handle", "Product"),
            "description": _text(node, "description", "Product"),
            "description_html": _text(node, "descriptionHtml", "Product"),
            "vendor": _text(node, "vendor", "Product"),
            "product_type": _text(node, "productType", "Product"),
            "tags": [str(t) for t in node.get("tags") or []],
            "status": (node.get("status") or "ACTIVE").lower(),
            "images": images,
            "url": node.get("onlineStoreUrl") or "",
            "platform_created_at": _when(node, "createdAt", "Product"),
            "platform_updated_at": _when(node, "updatedAt", "Product", required=True),
            "variants": [self._variant(v, pid, i) for i, v in enumerate(variants, start=1)],
        }

    def _variant(self, node: dict, product_id: str, index: int) -> dict:
        return {
            "platform_id": gid(node, "ProductVariant"),
            "title": _text(node, "title", "Variant") or "Default",
            "options": {o["name"]: o["value"] for o in node.get("selectedOptions") or [] if o and o.get("name")},
            "price": money(node.get("price"), f"variant {node.get('id')} of product {product_id}", required=True),
            "compare_at_price": money(node.get("compareAtPrice"), f"variant {node.get('id')}"),
            "sku": _text(node, "sku", "Variant"),
            "inventory_quantity": node.get("inventoryQuantity"),
            "position": node.get("position") or index,
            "platform_updated_at": _when(node, "updatedAt", "Variant"),
        }

    def _collection(self, node: dict) -> dict:
        products = self._rest(node["products"], q.COLLECTION_PRODUCTS, node["id"], ("collection", "products"))
        return {
            "platform_id": gid(node, "Collection"),
            "title": _text(node, "title", "Collection", required=True),
            "handle": _text(node, "handle", "Collection"),
            "description_html": _text(node, "descriptionHtml", "Collection"),
            "platform_updated_at": _when(node, "updatedAt", "Collection", required=True),
            "product_ids": [gid(p, "Product") for p in products],
        }

    def _customer(self, node: dict) -> dict:
        spent = node.get("amountSpent") or {}
        return {
            "platform_id": gid(node, "Customer"),
            "first_name": _text(node, "firstName", "Customer"),
            "last_name": _text(node, "lastName", "Customer"),
            "email": _text(node, "email", "Customer").lower(),
            "phone": _text(node, "phone", "Customer"),
            "tags": [str(t) for t in node.get("tags") or []],
            "orders_count": int(node.get("numberOfOrders") or 0),
            "amount_spent": money(spent.get("amount"), f"customer {node.get('id')}") or Decimal(0),
            "currency": spent.get("currencyCode") or "",
            "platform_created_at": _when(node, "createdAt", "Customer"),
            "platform_updated_at": _when(node, "updatedAt", "Customer", required=True),
        }

    def _order(self, node: dict) -> dict:
        oid = gid(node, "Order")
        label = f"order {node.get('name') or node.get('id')}"
        items = self._rest(node["lineItems"], q.ORDER_LINE_ITEMS, node["id"], ("order", "lineItems"))
        total = (node.get("totalPriceSet") or {}).get("shopMoney") or {}
        subtotal = (node.get("subtotalPriceSet") or {}).get("shopMoney") or {}
        name = _text(node, "name", "Order", required=True)
        digits = "".join(ch for ch in name if ch.isdigit())
        return {
            "platform_id": oid,
            "name": name,
            "number": int(digits) if digits and len(digits) < 10 else None,
            "email": _text(node, "email", "Order").lower(),
            "customer_platform_id": gid(node["customer"], "Customer") if node.get("customer") else "",
            "financial_status": (node.get("displayFinancialStatus") or "").lower(),
            "fulfillment_status": (node.get("displayFulfillmentStatus") or "").lower(),
            "subtotal": money(subtotal.get("amount"), label),
            "total": money(total.get("amount"), label, required=True),
            "currency": total.get("currencyCode") or node.get("currencyCode") or "",
            "status_url": node.get("statusPageUrl") or "",
            "placed_at": _when(node, "createdAt", "Order", required=True),
            "cancelled_at": _when(node, "cancelledAt", "Order"),
            "platform_updated_at": _when(node, "updatedAt", "Order", required=True),
            "line_items": [self._line_item(item, label) for item in items],
            "fulfillments": [self._fulfillment(f) for f in node.get("fulfillments") or []],
        }

    def _line_item(self, node: dict, label: str) -> dict:
        price = ((node.get("originalUnitPriceSet") or {}).get("shopMoney") or {}).get("amount")
        return {
            "platform_id": gid(node, "LineItem"),
            "title": _text(node, "title", "Line item", required=True),
            "variant_title": _text(node, "variantTitle", "Line item"),
            "sku": _text(node, "sku", "Line item"),
            "quantity": int(node.get("quantity") or 0),
            "price": money(price, f"a line item of {label}", required=True),
            "product_platform_id": gid(node["product"], "Product") if node.get("product") else "",
            "variant_platform_id": gid(node["variant"], "ProductVariant") if node.get("variant") else "",
        }

    def _fulfillment(self, node: dict) -> dict:
        tracking = (node.get("trackingInfo") or [{}])[0] or {}
        return {
            "platform_id": gid(node, "Fulfillment"),
            "status": (node.get("status") or "success").lower(),
            "carrier": tracking.get("company") or "",
            "tracking_number": tracking.get("number") or "",
            "tracking_url": tracking.get("url") or "",
            "platform_created_at": _when(node, "createdAt", "Fulfillment"),
            "platform_updated_at": _when(node, "updatedAt", "Fulfillment"),
        }

    def _rest(self, connection: dict | None, query: str, parent_id: str, path: tuple[str, str]) -> list[dict]:
        """All nodes of a nested connection: the first page given, then follow-up pages of ``query``."""
        if connection is None:
            raise BadData(f"Shopify sent {parent_id} without its {path[1]}.")
        nodes = list(connection.get("nodes") or [])
        info = connection.get("pageInfo") or {}
        while info.get("hasNextPage"):
            data = self.client.query(query, {"id": parent_id, "after": info.get("endCursor")})
            more = _need(_need(data, path[0], parent_id), path[1], parent_id)
            nodes += more.get("nodes") or []
            info = more.get("pageInfo") or {}
        return nodes


# --- parsing helpers -----------------------------------------------------------------------------


def gid(node: dict | None, kind: str) -> str:
    """``"123"`` from ``"gid://shopify/Product/123"``; BadData for anything else."""
    value = (node or {}).get("id")
    prefix = f"gid://shopify/{kind}/"
    if not isinstance(value, str) or not value.startswith(prefix):
        raise BadData(f"Shopify sent a {kind} without a usable id ({value!r}).")
    number = value.removeprefix(prefix).split("?", 1)[0]
    if not number.isdigit():
        raise BadData(f"Shopify sent a {kind} with the id {value!r}.")
    return number


def money(value, what: str, *, required: bool = False) -> Decimal | None:
    """Shopify sends Money and Decimal as strings ("19.99"); numbers are accepted too."""
    return parse_money(value, what, "Shopify", required=required)


def _text(node: dict, key: str, kind: str, *, required: bool = False) -> str:
    value = node.get(key)
    if value is None or (required and not str(value).strip()):
        if required:
            raise BadData(f"Shopify sent a {kind.lower()} ({node.get('id')}) without its {key}.")
        return ""
    return str(value)


def _when(node: dict, key: str, kind: str, *, required: bool = False) -> datetime | None:
    value = node.get(key)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None and (value is not None or required):
        raise BadData(f"Shopify sent a {kind.lower()} ({node.get('id')}) with {key} {value!r}, not a date.")
    return parsed


def _need(data: dict | None, key: str, what: str) -> dict:
    value = (data or {}).get(key)
    if not isinstance(value, dict):
        raise BadData(f"Shopify's answer for {what} has no {key}.")
    return value
