"""A fake Shopify: a real HTTP server on 127.0.0.1 speaking the GraphQL Admin API and OAuth token endpoint.

Every query is parsed and validated against Shopify's real Admin schema (2025-01, in ``data/``) and then
executed with graphql-core against the shop's data: cursor pagination, ``sortKey``, ``updated_at`` search
filters, a cost-based leaky bucket (HTTP 200 with a ``THROTTLED`` error and ``extensions.cost``),
``MAX_COST_EXCEEDED`` above 1,000 points, and 401 for a wrong or expired token. Requests reach it through
the real ``ShopifyAPI`` package with ``SHOPIFY_API_BASE_URL`` set to ``fake.url``: each shop lives under
``<url>/<shop domain>/admin/...``. Failures can be scripted per shop (HTML pages, 5xx, dropped connections,
slow answers, tampered JSON).
"""

import base64
import bisect
import gzip
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    build_client_schema,
    execute,
    get_named_type,
    is_leaf_type,
    parse,
    validate,
    value_from_ast_untyped,
)
from graphql.error import GraphQLSyntaxError

SCHEMA_PATH = Path(__file__).parent / "data" / "shopify_admin_schema_2025-01.json.gz"
START = datetime(2026, 1, 1, tzinfo=UTC)
SINGLE_QUERY_LIMIT = 1000


@cache
def admin_schema():
    with gzip.open(SCHEMA_PATH) as f:
        schema = build_client_schema(json.load(f)["data"])
    schema._validation_errors = []  # graphql-core objects to one deprecation rule of the schema as a whole
    return schema


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- cost -----------------------------------------------------------------------------------------


def requested_cost(document, variables: dict) -> int:
    """Shopify's calculated cost, approximately: objects 1, scalars 0, connections 2 + first x node cost."""
    schema = admin_schema()
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return _cost(operation.selection_set, schema.query_type, variables, fragments)


def _argument(node: FieldNode, name: str, variables: dict):
    for argument in node.arguments or ():
        if argument.name.value == name:
            return value_from_ast_untyped(argument.value, variables)
    return None


def _cost(selection_set, parent, variables, fragments) -> int:
    schema, total = admin_schema(), 0
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, InlineFragmentNode):
            kind = schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
            total += _cost(selection.selection_set, kind, variables, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            kind = schema.get_type(fragment.type_condition.name.value)
            total += _cost(fragment.selection_set, kind, variables, fragments)
        elif isinstance(selection, FieldNode) and not selection.name.value.startswith("__"):
            named = get_named_type(parent.fields[selection.name.value].type)
            if is_leaf_type(named):
                continue
            child = _cost(selection.selection_set, named, variables, fragments)
            if named.name.endswith("Connection"):
                size = _argument(selection, "first", variables) or _argument(selection, "last", variables) or 0
                total += 2 + size * child
            elif selection.name.value in ("edges", "pageInfo"):
                total += child
            else:
                total += 1 + child
    return total


# --- the shop's data ------------------------------------------------------------------------------


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
    def __init__(self, fake: "FakeShopify", domain: str, token: str, name: str):
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
                {"__typename": "MediaImage", "alt": alt, "image": {"url": url, "altText": alt}}
                for url, alt in (images or [])
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
        size = args.get("first") or 0
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


# --- HTTP -----------------------------------------------------------------------------------------

PATH = re.compile(r"^/(?P<shop>[^/]+)/admin/(?:api/(?P<version>\d{4}-\d{2})/graphql\.json|oauth/access_token)$")


class FakeShopify:
    """Start with ``FakeShopify().start()``; ``add_shop`` per test; ``stop()`` at the end."""

    def __init__(self, api_key: str = "fake-api-key", api_secret: str = "fake-api-secret"):
        self.api_key, self.api_secret = api_key, api_secret
        self.shops: dict[str, FakeShop] = {}
        self.invalid_queries: list[str] = []
        self.versions: set[str] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.lock = threading.Lock()  # one query at a time, like one shop's bucket would see them

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeShopify":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        self.shops.clear()
        self.invalid_queries.clear()

    def add_shop(self, domain: str, token: str = "shpat_good", name: str = "") -> FakeShop:
        shop = FakeShop(self, domain, token, name or domain.split(".")[0].replace("-", " ").title())
        self.shops[domain] = shop
        return shop

    def graphql(self, shop: FakeShop, body: dict) -> dict:
        try:
            document = parse(body.get("query") or "")
        except GraphQLSyntaxError as exc:
            self.invalid_queries.append(str(exc))
            return {"errors": [{"message": str(exc), "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}]}
        errors = validate(admin_schema(), document)
        if errors:
            self.invalid_queries.extend(e.message for e in errors)
            return {"errors": [{"message": e.message, "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}} for e in errors]}  # fmt: skip
        variables = body.get("variables") or {}
        cost = requested_cost(document, variables)
        extensions = {"cost": {"requestedQueryCost": cost, "actualQueryCost": None}}
        if cost > SINGLE_QUERY_LIMIT:
            message = f"Query cost is {cost}, which exceeds the single query max cost limit ({SINGLE_QUERY_LIMIT})."
            return {"errors": [{"message": message, "extensions": {"code": "MAX_COST_EXCEEDED", "cost": cost}}]}
        bucket = shop.bucket
        bucket.refill()
        if shop.throttle and cost > bucket.available:
            extensions["cost"]["throttleStatus"] = bucket.status()
            return {"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}], "extensions": extensions}
        if shop.throttle:
            bucket.available -= cost
        result = execute(admin_schema(), document, root_value=shop.root(), variable_values=variables)
        extensions["cost"].update(actualQueryCost=cost, throttleStatus=bucket.status())
        payload = {"data": result.data, "extensions": extensions}
        if result.errors:
            payload["errors"] = [{"message": e.message, "path": e.path} for e in result.errors]
        return payload

    def token_request(self, shop: FakeShop, form: dict) -> tuple[int, dict]:
        if form.get("client_id") != self.api_key or form.get("client_secret") != self.api_secret:
            return 400, {"error": "invalid_client"}
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in shop.refresh_tokens:
                return 400, {"error": "invalid_grant"}
            shop.refresh_tokens.discard(form["refresh_token"])
        elif form.get("code") in shop.codes:
            shop.codes.discard(form["code"])
        else:
            return 400, {"error": "invalid_request", "error_description": "The authorization code was not found."}
        access, refresh = "shpat_" + secrets.token_hex(12), "shprt_" + secrets.token_hex(12)
        answer = {"access_token": access, "scope": "read_products,read_customers,read_orders"}
        if form.get("expiring") == "1" or form.get("grant_type") == "refresh_token":
            shop.tokens[access] = datetime.now(UTC) + timedelta(hours=1)
            shop.refresh_tokens.add(refresh)
            answer.update(expires_in=3600, refresh_token=refresh, refresh_token_expires_in=7776000)
        else:
            shop.tokens[access] = None
        return 200, answer


def _handler(fake: FakeShopify):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload) -> None:
            self._send(status, json.dumps(payload).encode())

        def do_GET(self):
            self._send(404, b"<html><body>There's nothing here.</body></html>", "text/html")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            match = PATH.match(self.path)
            shop = fake.shops.get(match["shop"]) if match else None
            if shop is None:
                return self._send(404, b"<html><body>Sorry, this shop is currently unavailable.</body></html>", "text/html")  # fmt: skip
            if match["version"] is None:
                form = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
                return self._json(*fake.token_request(shop, form))
            fake.versions.add(match["version"])
            token = self.headers.get("X-Shopify-Access-Token", "")
            request = json.loads(body or b"{}")
            entry = {"operation": request.get("operationName") or _operation_name(request.get("query", "")),
                     "variables": request.get("variables") or {}, "token": token}  # fmt: skip
            shop.log.append(entry)
            failure = "502" if shop.down else (shop.failures.pop(0) if shop.failures else None)
            if failure:
                entry["answer"] = failure
                return self._fail(failure)
            expires = shop.tokens.get(token, "missing")
            if expires == "missing" or (expires is not None and expires < datetime.now(UTC)):
                entry["answer"] = "401"
                return self._json(401, {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})  # fmt: skip
            with fake.lock:
                payload = fake.graphql(shop, request)
            if entry["operation"] in shop.tamper:
                payload = shop.tamper.pop(entry["operation"])(payload)
            entry["answer"] = "THROTTLED" if '"THROTTLED"' in json.dumps(payload.get("errors", "")) else "200"
            if shop.go_down_after and entry["answer"] == "200" and shop.go_down_after[0] == entry["operation"]:
                left = shop.go_down_after[1] - 1
                shop.go_down_after, shop.down = ((entry["operation"], left), False) if left else (None, True)
            self._json(200, payload)

        def _fail(self, failure: str) -> None:
            if failure == "html":
                self._send(200, b"<!DOCTYPE html><html><body>Checking your browser...</body></html>", "text/html")
            elif failure == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
            elif failure == "slow":
                time.sleep(1.5)
                self._json(200, {"data": None})
            else:
                self._send(int(failure), b"<html><body>Bad gateway</body></html>", "text/html")

    return Handler


def _operation_name(query: str) -> str:
    match = re.search(r"query\s+(\w+)", query)
    return match.group(1) if match else ""
