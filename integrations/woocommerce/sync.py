"""The WooCommerce adapter: pages of REST API answers turned into platform-neutral mirror records.

Pages are numbered (``page=N``, at most 100 rows, ordered by id so a resumed run sees the same pages); the
cursor is the next page number as text. A variable product's variations and a category's products are
fetched here before the page is handed on, so a page is written all at once. Incremental runs ask for
``modified_after`` the watermark (GMT); customers have no such filter in the API, so they are read whole
and upserted (never pruned by an incremental run). WooCommerce has no fulfillments: an order's status says
whether it was completed.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html import unescape

from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

from integrations.adapters import BadData, Page, ShopInfo, parse_money
from integrations.woocommerce.client import PER_PAGE, WooClient

ENDPOINTS = {"products": "products", "collections": "products/categories", "customers": "customers",
             "orders": "orders"}  # fmt: skip
VARIATION_DASH = " \N{EN DASH} "  # "Mug \N{EN DASH} Color: Black" names a variation's line item
MODIFIED_FILTER = {"products", "orders"}  # the list endpoints that take modified_after

# WooCommerce order status -> (financial status, fulfillment status) as the mirror spells them (Shopify's words).
ORDER_STATUS = {
    "pending": ("pending", "unfulfilled"),
    "processing": ("paid", "unfulfilled"),
    "on-hold": ("pending", "on_hold"),
    "completed": ("paid", "fulfilled"),
    "cancelled": ("voided", "unfulfilled"),
    "refunded": ("refunded", "unfulfilled"),
    "failed": ("failed", "unfulfilled"),
    "checkout-draft": ("pending", "unfulfilled"),
    "trash": ("voided", "unfulfilled"),
}


@contextmanager
def open_adapter(connection, heartbeat: Callable[[], None] = lambda: None) -> Iterator["WooAdapter"]:
    secrets = connection.secrets()
    yield WooAdapter(WooClient(connection.shop, secrets.get("consumer_key", ""), secrets.get("consumer_secret", "")))


def _since_params(resource: str, since: datetime | None) -> dict:
    if since is None or resource not in MODIFIED_FILTER:
        return {}
    # A second earlier than the watermark: rows sharing its second are read again (harmless), never lost.
    moment = (since.astimezone(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    return {"modified_after": moment, "dates_are_gmt": "true"}


class WooAdapter:
    def __init__(self, client: WooClient):
        self.client = client

    def shop_info(self) -> ShopInfo:
        settings = self.client.get("settings/general").data
        rows = settings if isinstance(settings, list) else []
        values = {s.get("id"): s.get("value") for s in rows if isinstance(s, dict)}
        return ShopInfo(name=self.client.site.split("://", 1)[-1], domain=self.client.site,
                        currency=str(values.get("woocommerce_currency") or ""))  # fmt: skip

    def count(self, resource: str, *, since: datetime | None) -> int | None:
        answer = self.client.get(ENDPOINTS[resource], {"per_page": 1, **_since_params(resource, since)})
        return answer.total

    def fetch(self, resource: str, *, since: datetime | None, after: str | None) -> Page:
        page = int(after) if after and after.isdigit() else 1
        params = {"per_page": PER_PAGE, "page": page, "orderby": "id", "order": "asc", **_since_params(resource, since)}
        if resource == "orders":
            params["status"] = "any"
        answer = self.client.get(ENDPOINTS[resource], params)
        if not isinstance(answer.data, list):
            raise BadData(f"{self.client.site} sent {resource} page {page} that is not a list.")
        records = [getattr(self, f"_{resource[:-1]}")(row) for row in answer.data]
        has_next = answer.pages is not None and page < answer.pages
        return Page(records=records, cursor=str(page + 1) if has_next else None, has_next=has_next)

    def _all(self, endpoint: str, params: dict | None = None) -> list[dict]:
        rows, page = [], 1
        while True:
            answer = self.client.get(endpoint, {"per_page": PER_PAGE, "page": page, **(params or {})})
            if not isinstance(answer.data, list):
                raise BadData(f"{self.client.site} sent {endpoint} page {page} that is not a list.")
            rows += answer.data
            if answer.pages is None or page >= answer.pages:
                return rows
            page += 1

    # --- one record per row; nested rows fetched here ------------------------------------------------

    def _product(self, row: dict) -> dict:
        pid = _id(row, "product")
        if row.get("type") == "variable":
            variations = self._all(f"products/{pid}/variations", {"orderby": "id", "order": "asc"})
            variants = [self._variation(v, pid, i) for i, v in enumerate(variations, start=1)]
        else:
            variants = [self._simple_variant(row, pid)]
        html = _text(row, "description")
        return {
            "platform_id": pid,
            "title": _required(row, "name", "product"),
            "handle": _text(row, "slug"),
            "description": unescape(strip_tags(html)).strip(),
            "description_html": html,
            "vendor": "",
            "product_type": _text(row, "type"),
            "tags": [str(t.get("name")) for t in row.get("tags") or [] if isinstance(t, dict)],
            "status": {"publish": "active", "draft": "draft", "pending": "draft", "private": "draft"}.get(
                row.get("status"), "archived"),
            "images": [{"url": i["src"], "alt": i.get("alt") or ""} for i in row.get("images") or []
                       if isinstance(i, dict) and i.get("src")],
            "url": _text(row, "permalink") if row.get("status") == "publish" else "",
            "platform_created_at": _when(row, "date_created_gmt", "product"),
            "platform_updated_at": _when(row, "date_modified_gmt", "product", required=True),
            "variants": variants,
        }  # fmt: skip

    def _simple_variant(self, row: dict, pid: str) -> dict:
        # A simple product is its own only variant; its id is the product's (no clash: a separate table).
        return {
            "platform_id": pid, "title": "Default", "options": {},
            "price": money(row.get("price") or row.get("regular_price"), f"product {pid}") or Decimal(0),
            "compare_at_price": _compare_at(row, f"product {pid}"), "sku": _text(row, "sku"),
            "inventory_quantity": _stock(row), "position": 1,
            "platform_updated_at": _when(row, "date_modified_gmt", "product"),
        }  # fmt: skip

    def _variation(self, row: dict, pid: str, index: int) -> dict:
        vid = _id(row, f"variation of product {pid}")
        options = {str(a.get("name")): str(a.get("option")) for a in row.get("attributes") or []
                   if isinstance(a, dict) and a.get("name")}  # fmt: skip
        return {
            "platform_id": vid, "title": " / ".join(options.values()) or "Default", "options": options,
            "price": money(row.get("price") or row.get("regular_price"), f"variation {vid} of product {pid}",
                           required=True),
            "compare_at_price": _compare_at(row, f"variation {vid}"), "sku": _text(row, "sku"),
            "inventory_quantity": _stock(row), "position": index,
            "platform_updated_at": _when(row, "date_modified_gmt", "variation"),
        }  # fmt: skip

    def _collection(self, row: dict) -> dict:
        cid = _id(row, "category")
        products = self._all("products", {"category": cid, "orderby": "id", "order": "asc", "_fields": "id"})
        return {
            "platform_id": cid,
            "title": unescape(_required(row, "name", "category")),
            "handle": _text(row, "slug"),
            "description_html": _text(row, "description"),
            "platform_updated_at": None,  # categories carry no dates
            "product_ids": [_id(p, "product") for p in products],
        }

    def _customer(self, row: dict) -> dict:
        billing = row.get("billing") if isinstance(row.get("billing"), dict) else {}
        return {
            "platform_id": _id(row, "customer"),
            "first_name": _text(row, "first_name"),
            "last_name": _text(row, "last_name"),
            "email": _text(row, "email").lower(),
            "phone": str(billing.get("phone") or ""),
            "tags": [],
            "orders_count": int(row.get("orders_count") or 0),
            "amount_spent": money(row.get("total_spent"), "a customer") or Decimal(0),
            "currency": "",
            "platform_created_at": _when(row, "date_created_gmt", "customer"),
            "platform_updated_at": _when(row, "date_modified_gmt", "customer", required=True),
        }

    def _order(self, row: dict) -> dict:
        oid = _id(row, "order")
        label = f"order {oid}"
        status = _text(row, "status")
        financial, fulfillment = ORDER_STATUS.get(status, (status, "unfulfilled"))
        billing = row.get("billing") if isinstance(row.get("billing"), dict) else {}
        number = _text(row, "number") or oid
        items = row.get("line_items")
        if not isinstance(items, list):
            raise BadData(f"{self.client.site} sent {label} without its line items.")
        updated = _when(row, "date_modified_gmt", "order", required=True)
        return {
            "platform_id": oid,
            "name": f"#{number}",
            "number": int(number) if number.isdigit() and len(number) < 10 else None,
            "email": str(billing.get("email") or "").lower(),
            "customer_platform_id": str(row["customer_id"]) if row.get("customer_id") else "",
            "financial_status": financial,
            "fulfillment_status": fulfillment,
            "subtotal": sum((money(i.get("subtotal"), label) or Decimal(0) for i in items), Decimal(0)),
            "total": money(row.get("total"), label, required=True),
            "currency": _text(row, "currency")[:3],
            "status_url": "",
            "placed_at": _when(row, "date_created_gmt", "order", required=True),
            "cancelled_at": updated if status == "cancelled" else None,
            "platform_updated_at": updated,
            "line_items": [self._line_item(i, label) for i in items],
            "fulfillments": [],
        }

    def _line_item(self, row: dict, label: str) -> dict:
        variation = row.get("variation_id") or 0
        name = unescape(_required(row, "name", f"line item of {label}"))
        title, _, variant_title = name.partition(VARIATION_DASH) if variation else (name, "", "")
        product = str(row.get("product_id") or "")
        return {
            "platform_id": _id(row, f"line item of {label}"),
            "title": title,
            "variant_title": variant_title,
            "sku": _text(row, "sku"),
            "quantity": max(int(row.get("quantity") or 0), 0),
            "price": money(row.get("price"), f"a line item of {label}", required=True),
            "product_platform_id": product,
            # A simple product's only variant carries the product's id (see _simple_variant).
            "variant_platform_id": str(variation) if variation else product,
        }


# --- parsing helpers -----------------------------------------------------------------------------


def _id(row: dict, kind: str) -> str:
    value = (row or {}).get("id") if isinstance(row, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise BadData(f"WooCommerce sent a {kind} without a usable id ({value!r}).")
    return str(value)


def money(value, what: str, *, required: bool = False) -> Decimal | None:
    """WooCommerce sends prices as strings ("19.99"), line item prices as numbers; both accepted."""
    return parse_money(value, what, "WooCommerce", required=required)


def _compare_at(row: dict, what: str) -> Decimal | None:
    return money(row.get("regular_price"), what) if row.get("on_sale") and row.get("sale_price") else None


def _stock(row: dict) -> int | None:
    quantity = row.get("stock_quantity")
    if row.get("manage_stock") is True and isinstance(quantity, int):
        return quantity
    return 0 if row.get("stock_status") == "outofstock" else None


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


def _required(row: dict, key: str, kind: str) -> str:
    value = _text(row, key)
    if not value.strip():
        raise BadData(f"WooCommerce sent a {kind} ({row.get('id')}) without its {key}.")
    return value


def _when(row: dict, key: str, kind: str, *, required: bool = False) -> datetime | None:
    """WooCommerce's *_gmt dates have no offset: they are UTC."""
    value = row.get(key)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None and (value is not None or required):
        raise BadData(f"WooCommerce sent a {kind} ({row.get('id')}) with {key} {value!r}, not a date.")
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
