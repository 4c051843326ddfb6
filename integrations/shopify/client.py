"""The only code that talks to Shopify: the GraphQL Admin API through the ``ShopifyAPI`` package, and OAuth.

The package's traps, and what this module does about each:

- Its active session is process-global (``ShopifyResource.site`` falls back to a class attribute shared by
  every thread), so a task that forgets to clear it leaves the next tenant talking to the previous shop.
  ``shopify_session`` activates a session and always clears it in ``finally``.
- ``shopify.Session`` silently turns any string into ``<first label>.myshopify.com``; ``normalize_shop``
  checks the domain first and refuses anything that is not one.
- ``GraphQL().execute`` has no time-out, prints error bodies to stdout and never retries. ``GraphQLClient``
  sends the same request with a time-out, logs instead of printing, retries transient failures with
  back-off up to a bound, and waits for the cost bucket when Shopify answers ``THROTTLED`` (HTTP 200).
- ``Session.request_token`` cannot ask for expiring offline tokens nor refresh them; ``exchange_code`` and
  ``refresh_access_token`` post to the same endpoint themselves.
"""

import http.client
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import shopify
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from integrations.adapters import AuthError, PlatformError, TransientError

log = logging.getLogger(__name__)

SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$")
# Shopify refuses any single query whose requested cost is above this.
MAX_QUERY_COST = 1000
# write_discounts: checkout links may carry a unique code the store lets flows create (integrations/discounts.py).
SCOPES = ["read_products", "read_customers", "read_orders", "read_fulfillments", "write_discounts"]


def normalize_shop(value: str) -> str:
    """``your-shop.myshopify.com`` from what an owner may paste (scheme, path, capitals); else ValidationError."""
    text = (value or "").strip().lower()
    text = re.sub(r"^https?://", "", text).split("/", 1)[0]
    if not SHOP_DOMAIN.match(text):
        raise ValidationError(
            {
                "shop": "Enter the shop's myshopify.com domain, like your-shop.myshopify.com "
                "(Shopify admin → Settings → Domains shows it)."
            }
        )
    return text


def api_root(shop: str) -> str:
    """Where ``shop``'s API lives: ``https://<shop>``, or under SHOPIFY_API_BASE_URL (a fake, in tests)."""
    base = settings.SHOPIFY_API_BASE_URL.rstrip("/")
    return f"{base}/{shop}" if base else f"https://{shop}"


@contextmanager
def shopify_session(shop: str, token: str) -> Iterator[shopify.Session]:
    """Activate ``shop``'s session for the calls inside the block, and always clear it afterwards."""
    session = shopify.Session(shop, settings.SHOPIFY_API_VERSION, token)
    if session.url != shop:  # the package rewrote the domain; never talk to a shop we did not mean
        raise PlatformError(f"{shop!r} is not a shop domain this app can talk to.")
    shopify.ShopifyResource.activate_session(session)
    try:
        if settings.SHOPIFY_API_BASE_URL:
            shopify.ShopifyResource.site = session.version.api_path(api_root(shop))
        yield session
    finally:
        shopify.ShopifyResource.clear_session()


class _TimedGraphQL(shopify.GraphQL):
    """``shopify.GraphQL`` with a time-out; answers (status, content type, body) instead of printing errors."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def execute(self, query, variables=None, operation_name=None):
        headers = self.merge_headers({"Accept": "application/json", "Content-Type": "application/json"}, self.headers)
        body = json.dumps({"query": query, "variables": variables, "operationName": operation_name}).encode()
        request = urllib.request.Request(self.endpoint, body, headers)  # noqa: S310 (the shop's https URL)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get_content_type() if exc.headers else "", exc.read()


@dataclass
class RetryPolicy:
    timeout: float = 30.0
    delays: tuple[float, ...] = (1.0, 4.0, 15.0)  # waits between tries; len + 1 tries in all
    max_throttle_waits: int = 30

    @classmethod
    def from_settings(cls) -> "RetryPolicy":
        return cls(
            timeout=settings.SHOPIFY_TIMEOUT_SECONDS,
            delays=tuple(settings.SHOPIFY_RETRY_DELAYS),
            max_throttle_waits=settings.SHOPIFY_MAX_THROTTLE_WAITS,
        )


class GraphQLClient:
    """Runs GraphQL Admin API queries for the session active around it (see ``shopify_session``)."""

    def __init__(self, shop: str, policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep):
        self.shop = shop
        self.policy = policy or RetryPolicy.from_settings()
        self.sleep = sleep
        self.throttle_status: dict | None = None
        self.requests = 0
        self.throttle_waits = 0

    def query(self, query: str, variables: dict | None = None) -> dict:
        """The query's ``data``; raises AuthError, TransientError (after retries) or PlatformError."""
        waits = 0
        while True:
            payload = self._send_with_retries(query, variables)
            errors = payload.get("errors") or []
            cost = (payload.get("extensions") or {}).get("cost") or {}
            self.throttle_status = cost.get("throttleStatus") or self.throttle_status
            if any(_code(e) == "THROTTLED" for e in errors):
                waits += 1
                if waits > self.policy.max_throttle_waits:
                    raise TransientError(f"{self.shop} kept answering THROTTLED after {waits - 1} waits.")
                self._wait_for_bucket(cost.get("requestedQueryCost") or MAX_QUERY_COST)
                continue
            if errors:
                raise _graphql_error(self.shop, errors)
            if payload.get("data") is None:
                raise PlatformError(f"{self.shop} answered without data.")
            return payload["data"]

    def _wait_for_bucket(self, needed: float) -> None:
        status = self.throttle_status or {}
        available = float(status.get("currentlyAvailable") or 0)
        rate = float(status.get("restoreRate") or 50)
        delay = max(0.05, (needed - available) / rate)
        self.throttle_waits += 1
        log.info("shopify %s throttled: waiting %.2fs for %s points", self.shop, delay, needed)
        self.sleep(delay)

    def _send_with_retries(self, query: str, variables: dict | None) -> dict:
        attempts = len(self.policy.delays) + 1
        for attempt in range(attempts):
            try:
                return self._send(query, variables)
            except TransientError as exc:
                if attempt == attempts - 1:
                    raise TransientError(f"{exc} Gave up after {attempts} tries.") from exc
                delay = self.policy.delays[attempt]
                log.warning("shopify %s: %s; try %d of %d in %.1fs", self.shop, exc, attempt + 2, attempts, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")

    def _send(self, query: str, variables: dict | None) -> dict:
        if shopify.ShopifyResource.get_site() is None:
            raise PlatformError("No Shopify session is active: call inside shopify_session().")
        self.requests += 1
        try:
            status, content_type, body = _TimedGraphQL(self.policy.timeout).execute(query, variables)
        except TimeoutError:
            raise TransientError(f"{self.shop} did not answer within {self.policy.timeout:g}s.") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransientError(f"Could not reach {self.shop}: {reason}.") from None
        return _parse_answer(self.shop, status, content_type, body)


def _parse_answer(shop: str, status: int, content_type: str, body: bytes) -> dict:
    snippet = body[:200].decode("utf-8", "replace")
    if status in (401, 403):
        log.warning("shopify %s refused the credentials (HTTP %s): %s", shop, status, snippet)
        raise AuthError(f"Shopify refused the access token for {shop} (HTTP {status}). Reconnect the store.")
    if status == 404:
        raise PlatformError(f"{shop} is not a Shopify shop, or it has closed (HTTP 404).")
    if status == 429 or status >= 500:
        raise TransientError(f"{shop} answered HTTP {status}.")
    if status != 200:
        log.warning("shopify %s answered HTTP %s: %s", shop, status, snippet)
        raise PlatformError(f"{shop} answered HTTP {status}.")
    if content_type != "application/json":
        raise TransientError(f"{shop} answered with {content_type or 'no content type'}, not JSON.")
    try:
        payload = json.loads(body)
    except ValueError:
        raise TransientError(f"{shop} answered with broken JSON.") from None
    if not isinstance(payload, dict):
        raise TransientError(f"{shop} answered with JSON that is not an object.")
    return payload


def _code(error: dict) -> str:
    return ((error or {}).get("extensions") or {}).get("code", "")


def _graphql_error(shop: str, errors: list[dict]) -> PlatformError:
    messages = "; ".join(str(e.get("message", e)) for e in errors[:3])
    log.warning("shopify %s GraphQL errors: %s", shop, messages)
    if any(_code(e) in ("ACCESS_DENIED", "UNAUTHORIZED") for e in errors):
        return AuthError(f"Shopify refused a read for {shop}: {messages}. Grant the app the read scopes.")
    return PlatformError(f"Shopify answered with errors: {messages}")


def stream_lines(url: str, *, timeout: float) -> Iterator[str]:
    """A bulk operation's JSONL result, line by line (a signed download URL: no session needed)."""
    request = urllib.request.Request(url)  # noqa: S310 (the https URL Shopify gave us)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310
    except urllib.error.HTTPError as exc:
        raise TransientError(f"Shopify's bulk export could not be downloaded (HTTP {exc.code}).") from None
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        raise TransientError(f"Shopify's bulk export could not be downloaded: {getattr(exc, 'reason', exc)}.") from None
    try:
        with response:
            for raw in response:
                # urllib ends a short body quietly: a line without its newline, or bytes still
                # expected, mean the connection dropped, not that the file ended.
                if not raw.endswith(b"\n"):
                    raise http.client.IncompleteRead(raw)
                if raw.strip():
                    yield raw.decode("utf-8")
            if response.length:
                raise http.client.IncompleteRead(b"", response.length)
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise TransientError(f"The download of Shopify's bulk export broke off: {exc!r}.") from None


# --- OAuth ---------------------------------------------------------------------------------------


@dataclass
class TokenSet:
    access_token: str
    scope: str = ""
    expires_at: datetime | None = None  # None: a token that does not expire (custom apps)
    refresh_token: str = ""
    refresh_expires_at: datetime | None = None


def _configure_app() -> None:
    """The package keeps the app's key and secret on the Session class; they are the same for every tenant."""
    if not (settings.SHOPIFY_API_KEY and settings.SHOPIFY_API_SECRET):
        raise PlatformError("Installing from Shopify needs SHOPIFY_API_KEY and SHOPIFY_API_SECRET to be set.")
    shopify.Session.setup(api_key=settings.SHOPIFY_API_KEY, secret=settings.SHOPIFY_API_SECRET)


def authorize_url(shop: str, *, state: str, redirect_uri: str) -> str:
    """Where to send the owner to approve the app (offline access: no per-user grant options)."""
    _configure_app()
    return shopify.Session(shop, settings.SHOPIFY_API_VERSION).create_permission_url(SCOPES, redirect_uri, state)


def callback_is_genuine(params: dict[str, str]) -> bool:
    """True when the callback's query carries Shopify's HMAC of its other parameters, made in the last day."""
    _configure_app()
    try:
        return bool(params.get("hmac")) and shopify.Session.validate_params(dict(params))
    except (ValueError, TypeError):  # a timestamp that is not a number
        return False


def exchange_code(shop: str, code: str) -> TokenSet:
    """Trade the callback's code for an expiring offline access token and its refresh token."""
    _configure_app()
    return _token_request(shop, {"code": code, "expiring": "1"})


def refresh_access_token(shop: str, refresh_token: str) -> TokenSet:
    _configure_app()
    return _token_request(shop, {"grant_type": "refresh_token", "refresh_token": refresh_token})


def _token_request(shop: str, fields: dict[str, str]) -> TokenSet:
    fields = {"client_id": settings.SHOPIFY_API_KEY, "client_secret": settings.SHOPIFY_API_SECRET, **fields}
    url = f"{api_root(shop)}/admin/oauth/access_token"
    request = urllib.request.Request(  # noqa: S310 (the shop's https URL)
        url, urllib.parse.urlencode(fields).encode(), {"Accept": "application/json"}
    )
    timeout = settings.SHOPIFY_TIMEOUT_SECONDS
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, content_type, body = response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        status, content_type, body = exc.code, "", exc.read()
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        raise TransientError(f"Could not reach {shop} to get a token: {getattr(exc, 'reason', exc)}.") from None
    if status in (400, 401, 403):
        log.warning("shopify %s refused a token request (HTTP %s): %s", shop, status, body[:200])
        raise AuthError(f"Shopify refused to issue a token for {shop} (HTTP {status}). Install the app again.")
    payload = _parse_answer(shop, status, content_type, body)
    if not payload.get("access_token"):
        raise PlatformError(f"{shop} answered the token request without a token.")
    return _token_set(payload)


def _token_set(payload: dict) -> TokenSet:
    now = timezone.now()

    def after(seconds):
        return now + timedelta(seconds=int(seconds)) if seconds else None

    return TokenSet(
        access_token=payload["access_token"],
        scope=payload.get("scope", ""),
        expires_at=after(payload.get("expires_in")),
        refresh_token=payload.get("refresh_token", ""),
        refresh_expires_at=after(payload.get("refresh_token_expires_in")),
    )
