"""The fake WooCommerce's HTTP server: the wc/v3 list endpoints the adapter reads, for any number of sites.

A site lives under ``http://127.0.0.1:<port>/<site>``. Over http WooCommerce authenticates with OAuth 1.0a
in the query (HMAC-SHA256, the consumer secret plus ``&`` as key), and so does this fake: it rebuilds the
signature base string the way WooCommerce's ``WC_REST_Authentication`` does and refuses a wrong one with
401. The ``woocommerce`` package sends every query parameter twice over http (once signed in the URL, once
more from ``requests``); WooCommerce reads the first of each name, and so does this fake.
"""

import base64
import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from tests.fakes.woocommerce.site import SiteData

PATH = re.compile(r"^/(?P<site>[^/]+)/wp-json/wc/v3/(?P<endpoint>[a-z0-9/_-]+)$")
MAX_PER_PAGE = 100


class FakeSite(SiteData):
    def __init__(self, name: str, key: str, secret: str):
        super().__init__()
        self.name, self.key, self.secret = name, key, secret
        self.failures: list = []  # consumed one per request: 429, 500, "html", "timeout"
        self.failures_after = 0  # ... once this many requests were answered
        self.requests: list[dict] = []
        self.currency = "EUR"
        self.down_after: tuple[str, int] | None = None  # (endpoint, pages served): then every request gets 502
        self.down = False
        self.served: dict[str, int] = {}
        self.webhooks: list[dict] = []
        self.delays: dict[str, float] = {}  # endpoint -> seconds to wait before answering
        self.readwrite = True  # keys with Read access only cannot create webhooks or coupons


class FakeWooCommerce:
    def __init__(self):
        self.sites: dict[str, FakeSite] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.lock = threading.Lock()
        self.hang_seconds = 2.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def site_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def start(self) -> "FakeWooCommerce":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        self.sites.clear()

    def add_site(self, name: str, key: str = "ck_good", secret: str = "cs_good") -> FakeSite:
        self.sites[name] = FakeSite(name, key, secret)
        return self.sites[name]

    # --- answering -----------------------------------------------------------------------------

    def answer(self, site: FakeSite, endpoint: str, params: dict) -> tuple[int, dict, object]:
        per_page = int(params.get("per_page", 10))
        page = int(params.get("page", 1))
        if not 1 <= per_page <= MAX_PER_PAGE:
            return 400, {}, {"code": "rest_invalid_param", "message": "Invalid parameter(s): per_page",
                             "data": {"status": 400}}  # fmt: skip
        if endpoint == "webhooks":
            return 200, {"X-WP-Total": str(len(site.webhooks)), "X-WP-TotalPages": "1"}, site.webhooks
        if endpoint == "settings/general":
            return 200, {}, [{"id": "woocommerce_currency", "value": site.currency}]
        rows = self.rows(site, endpoint, params)
        if rows is None:
            return 404, {}, {"code": "rest_no_route", "message": "No route was found.", "data": {"status": 404}}
        if params.get("_fields") == "id":
            rows = [{"id": r["id"]} for r in rows]
        pages = max(1, -(-len(rows) // per_page))
        chunk = rows[(page - 1) * per_page : page * per_page]
        return 200, {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)}, chunk

    def rows(self, site: FakeSite, endpoint: str, params: dict) -> list[dict] | None:
        variations = re.fullmatch(r"products/(\d+)/variations", endpoint)
        if variations:
            return list(site.variations.get(int(variations.group(1)), []))
        table = {"products": site.products, "products/categories": site.categories, "customers": site.customers,
                 "orders": site.orders}.get(endpoint)  # fmt: skip
        if table is None:
            return None
        rows = sorted(table.values(), key=lambda r: r["id"])
        if "modified_after" in params and endpoint in ("products", "orders"):
            rows = [r for r in rows if r["date_modified_gmt"] > params["modified_after"]]
        if "category" in params:
            rows = [r for r in rows if any(str(c["id"]) == params["category"] for c in r.get("categories", []))]
        if endpoint == "orders" and params.get("status", "any") != "any":
            rows = [r for r in rows if r["status"] == params["status"]]
        return rows


def signature(method: str, url: str, params: dict, secret: str) -> str:
    """WooCommerce's OAuth 1.0a signature: sorted, twice-encoded parameters, key = secret + "&"."""

    def enc(text: str) -> str:
        return quote(unquote(str(text)), safe="").replace("%", "%25")

    pairs = sorted((enc(k), enc(v)) for k, v in params.items() if k != "oauth_signature")
    base = f"{method}&{quote(url, safe='')}&" + "%26".join(f"{k}%3D{v}" for k, v in pairs)
    digest = hmac.new(f"{secret}&".encode(), base.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _first_of_each(query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        params.setdefault(key, value)
    return params


def _handler(fake: FakeWooCommerce):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status: int, body, headers: dict | None = None, content_type: str = "application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            parts = urlsplit(self.path)
            match = PATH.match(parts.path)
            site = fake.sites.get(match.group("site")) if match else None
            if site is None:
                return self.send(404, b"<html><body>Not found</body></html>", content_type="text/html")
            params = _first_of_each(parts.query)
            site.requests.append({**params, "endpoint": match.group("endpoint")})
            if not self._authentic(site, parts.path, params):
                return self.send(401, {"code": "woocommerce_rest_authentication_error",
                                       "message": "Invalid signature - provided signature does not match.",
                                       "data": {"status": 401}})  # fmt: skip
            if site.down:
                return self.send(502, b"<html>Bad gateway</html>", content_type="text/html")
            if site.failures and len(site.requests) > site.failures_after:
                failure = site.failures.pop(0)
                if failure == "timeout":
                    time.sleep(fake.hang_seconds)
                    return self.send(200, [], {"X-WP-Total": "0", "X-WP-TotalPages": "1"})
                if failure == "html":
                    return self.send(200, b"<!DOCTYPE html><html>Maintenance</html>", content_type="text/html")
                return self.send(failure, {"code": "error", "message": "Try later", "data": {"status": failure}})
            endpoint = match.group("endpoint")
            if site.delays.get(endpoint):
                time.sleep(site.delays[endpoint])
            with fake.lock:
                status, headers, body = fake.answer(site, endpoint, params)
                site.served[endpoint] = site.served.get(endpoint, 0) + 1
                if site.down_after and site.down_after == (endpoint, site.served[endpoint]):
                    site.down = True
            self.send(status, body, headers)

        def do_POST(self):
            parts = urlsplit(self.path)
            match = PATH.match(parts.path)
            site = fake.sites.get(match.group("site")) if match else None
            if site is None or match.group("endpoint") not in ("webhooks", "coupons"):
                return self.send(404, {"code": "rest_no_route", "message": "No route was found."})
            params = _first_of_each(parts.query)
            if not self._authentic(site, parts.path, params, method="POST"):
                return self.send(401, {"code": "woocommerce_rest_authentication_error", "message": "Invalid signature"})
            data = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            if not site.readwrite:
                return self.send(401, {"code": "woocommerce_rest_cannot_create", "message": "Sorry, you are not "
                                       "allowed to create resources."})  # fmt: skip
            if match.group("endpoint") == "coupons":
                return self.send(*site.create_coupon(data))
            webhook = {"id": len(site.webhooks) + 1, **data}
            site.webhooks.append(webhook)
            self.send(201, webhook)

        def _authentic(self, site: FakeSite, path: str, params: dict, method: str = "GET") -> bool:
            if params.get("oauth_consumer_key") != site.key or params.get("oauth_signature_method") != "HMAC-SHA256":
                return False
            try:
                if abs(time.time() - int(params.get("oauth_timestamp", "0"))) > 15 * 60:
                    return False
            except ValueError:
                return False
            url = f"http://{self.headers.get('Host')}{path}"
            expected = signature(method, url, params, site.secret)
            return hmac.compare_digest(expected, params.get("oauth_signature", ""))

    return Handler
