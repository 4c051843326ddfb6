"""The fake Shopify's HTTP server: GraphQL Admin API and OAuth token endpoint for any number of shops."""

import json
import re
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from graphql import execute, parse, validate
from graphql.error import GraphQLSyntaxError

from tests.fakes.shopify.schema import SINGLE_QUERY_LIMIT, admin_schema, requested_cost
from tests.fakes.shopify.shop import FakeShop

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
            payload["errors"] = [
                {"message": e.message, "path": e.path, **({"extensions": e.extensions} if e.extensions else {})}
                for e in result.errors
            ]
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
            """Bulk operation results (a signed storage URL at Shopify: no token needed)."""
            shop = fake.shops.get(self.path.split("/")[1])
            lines = shop.bulk_files.get(fake.url + self.path) if shop else None
            if lines is None:
                return self._send(404, b"<html><body>There's nothing here.</body></html>", "text/html")
            shop.log.append({"operation": "download", "variables": {}, "token": "", "answer": "200"})
            body = "".join(line + "\n" for line in lines).encode()
            if shop.bulk_cut_after is not None:  # the connection drops part-way through the file
                cut = len("".join(line + "\n" for line in lines[: shop.bulk_cut_after]).encode())
                shop.bulk_cut_after = None
                self.send_response(200)
                self.send_header("Content-Type", "application/jsonl")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:cut])
                self.close_connection = True
                return None
            return self._send(200, body, "application/jsonl")

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
            time.sleep(shop.delays.get(entry["operation"], 0))
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
    match = re.search(r"(?:query|mutation)\s+(\w+)", query)
    return match.group(1) if match else ""
