"""One fake shop: its data in the Admin API's own shape, its cost bucket, and how it answers queries."""

import base64
import bisect
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tests.fakes.shopify.bulk import current_bulk_operation, run_bulk_query
from tests.fakes.shopify.discounts import Discounts
from tests.fakes.shopify.schema import START, gid, iso
from tests.fakes.shopify.subscriptions import Subscriptions


@dataclass
class Bucket:
    maximum: float = 2000.0
    restore_rate: float = 100.0
    available: float = 2000.0
    stamp: float = field(default_factory=time.monotonic)

    def refill(self) -> None:
        now = time.monotonic()
        self.available = min(self.maximum, self.available + (now - self.stamp) * self.restore_rate)
        self.stamp = now

    def status(self) -> dict:
        return {
            "maximumAvailable": self.maximum,
            "currentlyAvailable": int(self.available),
            "restoreRate": self.restore_rate,
        }


class Table:
    """Rows of one kind, kept sorted per sort key and re-sorted only after a change."""

    def __init__(self):
        self.rows: dict[int, dict] = {}
        self.version = 0
        self._sorted: dict[str, tuple[int, list, list]] = {}

    def put(self, number: int, row: dict) -> dict:
        self.rows[number] = row
        self.version += 1
        return row

    def remove(self, number: int) -> None:
        self.rows.pop(number, None)
        self.version += 1

    def ordered(self, sort_key: str) -> tuple[list, list]:
        cached = self._sorted.get(sort_key)
        if cached is None or cached[0] != self.version:
            rows = sorted(self.rows.values(), key=lambda r: _sort_value(r, sort_key))
            cached = (self.version, rows, [_sort_value(r, sort_key) for r in rows])
            self._sorted[sort_key] = cached
        return cached[1], cached[2]


def _sort_value(row: dict, sort_key: str):
    number = row["_n"]
    if sort_key == "UPDATED_AT":
        return (row["updatedAt"], number)
    if sort_key == "TITLE":
        return (row.get("title", ""), number)
    return ("", number)


SEARCH = re.compile(r"updated_at:(>=|<=|>|<)\s*['\"]?([0-9T:\-+.Z]+)['\"]?")


class FakeShop:
    def __init__(self, fake, domain: str, token: str, name: str):
        self.fake, self.domain, self.name = fake, domain, name
        self.tokens: dict[str, datetime | None] = {token: None}  # token -> expires (None: never)
        self.refresh_tokens: set[str] = set()
        self.codes: set[str] = set()
        self.tables = {kind: Table() for kind in ("Product", "Collection", "Customer", "Order")}
        self.clock = START
        self.counter = 1000
        self.bucket = Bucket()
        self.throttle = True
        self.failures: list[str] = []  # consumed one per GraphQL request: html, 502, drop, slow
        self.down = False  # every GraphQL request answers 502 while set
        self.go_down_after: tuple[str, int] | None = None  # (operation, n): down after n answers to it
        self.tamper: dict[str, Callable[[dict], dict]] = {}  # operation -> rewrites its next answer's JSON
        self.log: list[dict] = []  # every GraphQL request: operation, variables, token, answer code
        self.currency = "USD"
        self.delays: dict[str, float] = {}  # operation -> seconds to wait before answering it
        self.bulk_mode = False  # while a bulk query runs, connections without "first" return every row
        self.bulk_current: dict | None = None
        self.bulk_files: dict[str, list[str]] = {}  # result URL -> JSONL lines
        self.bulk_fail: str | None = None  # an errorCode to fail bulk operations with
        self.bulk_cut_after: int | None = None  # the next download stops after this many lines
        self.subscriptions = Subscriptions(self)  # webhook subscriptions (rows, and a refusal to script)
        self.discounts = Discounts(self)  # code discounts created through discountCodeBasicCreate

    # data builders: rows are stored in the API's own shape; "_" keys are the fake's
    def tick(self) -> str:
        self.clock += timedelta(seconds=1)
        return iso(self.clock)

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    def add_product(self, title: str, *, variants=None, images=None, **fields) -> dict:
        n = self.next_number()
        variants = variants if variants is not None else [{"title": "Default Title", "price": "10.00"}]
        row = {
            "_n": n, "id": gid("Product", n), "title": title, "handle": fields.pop("handle", f"product-{n}"),
            "description": fields.pop("description", ""), "descriptionHtml": fields.pop("descriptionHtml", ""),
            "vendor": "Fake Co", "productType": "", "tags": [], "status": "ACTIVE", "onlineStoreUrl": None,
            "createdAt": iso(self.clock), "updatedAt": self.tick(),
            "_media": [
                {"__typename": "MediaImage", "id": gid("MediaImage", n * 100 + i), "alt": alt,
                 "image": {"url": url, "altText": alt}}
                for i, (url, alt) in enumerate(images or [])
            ],
            "_variants": [self._variant(i, v) for i, v in enumerate(variants, start=1)],
        }  # fmt: skip
        row.update(fields)
        return self.tables["Product"].put(n, row)

    def _variant(self, position: int, spec: dict) -> dict:
        n = self.next_number()
        options = spec.get("options") or {"Title": spec.get("title", "Default Title")}
        return {
            "_n": n, "id": gid("ProductVariant", n), "title": spec.get("title", "Default Title"),
            "sku": spec.get("sku", f"SKU-{n}"), "price": spec.get("price", "10.00"),
            "compareAtPrice": spec.get("compareAtPrice"), "inventoryQuantity": spec.get("inventoryQuantity", 5),
            "position": position, "updatedAt": iso(self.clock),
            "selectedOptions": [{"name": k, "value": v} for k, v in options.items()],
        }  # fmt: skip

    def update(self, row: dict, **changes) -> dict:
        """Change a row the way an edit in the Shopify admin does: fields, then a new updatedAt."""
        row.update(changes)
        row["updatedAt"] = self.tick()
        kind = row["id"].split("/")[3]
        self.tables[kind].put(row["_n"], row)
        return row

    def delete(self, row: dict) -> None:
        self.tables[row["id"].split("/")[3]].remove(row["_n"])

    def add_collection(self, title: str, products: list[dict]) -> dict:
        n = self.next_number()
        row = {
            "_n": n, "id": gid("Collection", n), "title": title, "handle": f"collection-{n}",
            "descriptionHtml": "", "updatedAt": self.tick(), "_products": [p["id"] for p in products],
        }  # fmt: skip
        return self.tables["Collection"].put(n, row)

    def add_customer(self, first: str, last: str, email: str, **fields) -> dict:
        n = self.next_number()
        row = {
            "_n": n, "id": gid("Customer", n), "firstName": first, "lastName": last, "email": email,
            "phone": None, "tags": [], "numberOfOrders": "0", "createdAt": iso(self.clock), "updatedAt": self.tick(),
            "amountSpent": {"amount": "0.0", "currencyCode": self.currency},
        }  # fmt: skip
        row.update(fields)
        return self.tables["Customer"].put(n, row)

    def add_order(self, *, customer: dict | None, lines: list[tuple[dict, int]], **fields) -> dict:
        n = self.next_number()
        total = sum(float(p["_variants"][0]["price"]) * qty for p, qty in lines)
        money = {"shopMoney": {"amount": f"{total:.2f}", "currencyCode": self.currency}}
        row = {
            "_n": n, "id": gid("Order", n), "name": f"#{n}", "email": customer["email"] if customer else None,
            "createdAt": iso(self.clock), "updatedAt": self.tick(), "cancelledAt": None,
            "currencyCode": self.currency, "statusPageUrl": f"https://{self.domain}/orders/{n}",
            "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "UNFULFILLED",
            "customer": {"id": customer["id"]} if customer else None,
            "totalPriceSet": money, "subtotalPriceSet": money,
            "_lineItems": [self._line_item(p, qty) for p, qty in lines], "_fulfillments": [],
        }  # fmt: skip
        row.update(fields)
        return self.tables["Order"].put(n, row)

    def _line_item(self, product: dict, quantity: int) -> dict:
        variant, n = product["_variants"][0], self.next_number()
        return {
            "_n": n, "id": gid("LineItem", n), "title": product["title"], "variantTitle": variant["title"],
            "sku": variant["sku"], "quantity": quantity,
            "originalUnitPriceSet": {"shopMoney": {"amount": variant["price"], "currencyCode": self.currency}},
            "variant": {"id": variant["id"]}, "product": {"id": product["id"]},
        }  # fmt: skip

    def fulfil(self, order: dict, *, company: str, number: str, url: str) -> dict:
        n = self.next_number()
        order["_fulfillments"].append({
            "id": gid("Fulfillment", n), "status": "SUCCESS", "createdAt": iso(self.clock), "updatedAt": iso(self.clock),
            "trackingInfo": [{"company": company, "number": number, "url": url}],
        })  # fmt: skip
        return self.update(order, displayFulfillmentStatus="FULFILLED")

    def issue_code(self) -> str:
        code = secrets.token_hex(8)
        self.codes.add(code)
        return code

    # --- answering ------------------------------------------------------------------------------

    def connection(self, kind: str, args: dict, rows=None):
        if rows is None:
            ordered, keys = self.tables[kind].ordered(args.get("sortKey") or "ID")
            ordered, keys = _search(ordered, keys, args.get("query"), args.get("sortKey"))
        else:
            ordered, keys = rows, [("", i) for i in range(len(rows))]
        start = 0
        if args.get("after"):
            start = bisect.bisect_right(keys, _decode_cursor(args["after"]))
        size = args.get("first") or (len(ordered) if self.bulk_mode else 0)
        page, page_keys = ordered[start : start + size], keys[start : start + size]
        nodes = [self.view(kind, row) for row in page]
        cursors = [_encode_cursor(k) for k in page_keys]
        return {
            "nodes": nodes,
            "edges": [{"node": n, "cursor": c} for n, c in zip(nodes, cursors, strict=True)],
            "pageInfo": {
                "hasNextPage": start + size < len(ordered), "hasPreviousPage": start > 0,
                "startCursor": cursors[0] if cursors else None, "endCursor": cursors[-1] if cursors else None,
            },
        }  # fmt: skip

    def view(self, kind: str, row: dict) -> dict:
        """A row with its nested connections as resolvers, the way graphql-core's default resolver calls them."""
        if kind == "Product":
            return {
                **row,
                "variants": lambda info, **a: self.connection("ProductVariant", a, row["_variants"]),
                "media": lambda info, **a: self.connection("Media", a, row["_media"]),
            }
        if kind == "Collection":
            products = [{"id": p} for p in row["_products"]]
            return {**row, "products": lambda info, **a: self.connection("Ref", a, products)}
        if kind == "Order":
            return {
                **row,
                "lineItems": lambda info, **a: self.connection("LineItem", a, row["_lineItems"]),
                "fulfillments": lambda info, first=None, **a: [
                    _fulfillment_view(f) for f in row["_fulfillments"][:first]
                ],
            }
        return row

    def root(self) -> dict:
        def find(kind):
            def resolve(info, id):
                n = int(id.rsplit("/", 1)[-1]) if id.rsplit("/", 1)[-1].isdigit() else -1
                row = self.tables[kind].rows.get(n)
                return self.view(kind, row) if row else None

            return resolve

        def count(kind):
            def resolve(info, query=None, **a):
                rows, keys = self.tables[kind].ordered("UPDATED_AT")
                return {"count": len(_search(rows, keys, query, "UPDATED_AT")[0]), "precision": "EXACT"}

            return resolve

        shop = {"name": self.name, "myshopifyDomain": self.domain, "currencyCode": self.currency,
                "ianaTimezone": "America/New_York", "email": f"owner@{self.domain}"}  # fmt: skip
        return {
            "shop": shop,
            "products": lambda info, **a: self.connection("Product", a),
            "collections": lambda info, **a: self.connection("Collection", a),
            "customers": lambda info, **a: self.connection("Customer", a),
            "orders": lambda info, **a: self.connection("Order", a),
            "product": find("Product"), "collection": find("Collection"), "order": find("Order"),
            "productsCount": count("Product"), "customersCount": count("Customer"), "ordersCount": count("Order"),
            "bulkOperationRunQuery": lambda info, query: run_bulk_query(self, query),
            "currentBulkOperation": lambda info, **a: current_bulk_operation(self),
            **self.subscriptions.resolvers(),
            **self.discounts.resolvers(),
        }  # fmt: skip


def _fulfillment_view(row: dict) -> dict:
    return {**row, "trackingInfo": lambda info, first=None: row["trackingInfo"][:first]}


def _search(rows: list, keys: list, query: str | None, sort_key: str | None):
    match = SEARCH.search(query or "")
    if not match:
        return rows, keys
    op, value = match.groups()
    value = iso(datetime.fromisoformat(value.replace("Z", "+00:00")))
    if sort_key == "UPDATED_AT" and op in (">=", ">"):  # fast path: already in updated_at order
        cut = bisect.bisect_left if op == ">=" else bisect.bisect_right
        start = cut([k[0] for k in keys], value)
        return rows[start:], keys[start:]
    tests = {">=": value.__le__, ">": value.__lt__, "<=": value.__ge__, "<": value.__gt__}[op]
    kept = [(r, k) for r, k in zip(rows, keys, strict=True) if tests(r["updatedAt"])]
    return [r for r, _ in kept], [k for _, k in kept]


def _encode_cursor(key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


def _decode_cursor(cursor: str):
    try:
        return tuple(json.loads(base64.urlsafe_b64decode(cursor.encode())))
    except ValueError:
        return ("\uffff", 0)  # a cursor Shopify did not issue: nothing after it
