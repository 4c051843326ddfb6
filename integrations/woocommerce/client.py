"""The only code that talks to WooCommerce: its REST API (wc/v3) through the ``woocommerce`` package.

The package's traps, and what this module does about each:

- Its default time-out is 5 seconds, too short for a shared host building a page of 100 orders; the
  client passes ``WOOCOMMERCE_TIMEOUT_SECONDS`` (30 by default).
- Over plain http it signs the query with OAuth 1.0a and then hands the same parameters to ``requests``
  again, so every parameter is sent twice (WooCommerce reads the first). Harmless, and the fake server
  accepts it as WooCommerce does; over https it uses basic auth.
- It never retries and raises ``requests`` exceptions. ``WooClient.get`` retries 429, 5xx, time-outs, HTML
  pages (a caching plugin or a host's error page) and dropped connections with back-off up to a bound,
  and turns everything else into the errors in ``integrations.adapters``.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from woocommerce import API

from integrations.adapters import AuthError, PlatformError, TransientError

log = logging.getLogger(__name__)

PER_PAGE = 100  # WooCommerce refuses more than 100 per page


def normalize_site(value: str) -> str:
    """``https://shop.example`` from what an owner may paste (trailing slash, wp-admin path); else ValidationError."""
    text = (value or "").strip()
    if text and "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ValidationError({"url": "Enter the shop's address, like https://shop.example.com."})
    path = parts.path.split("/wp-admin", 1)[0].split("/wp-json", 1)[0].rstrip("/")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}{path}"


@dataclass
class RetryPolicy:
    timeout: float = 30.0
    delays: tuple[float, ...] = (1.0, 4.0, 15.0)  # waits between tries; len + 1 tries in all

    @classmethod
    def from_settings(cls) -> "RetryPolicy":
        return cls(timeout=settings.WOOCOMMERCE_TIMEOUT_SECONDS, delays=tuple(settings.WOOCOMMERCE_RETRY_DELAYS))


@dataclass
class Answer:
    data: list | dict
    total: int | None  # X-WP-Total
    pages: int | None  # X-WP-TotalPages


class WooClient:
    """GETs from one site's REST API with its consumer key and secret."""

    def __init__(self, site: str, key: str, secret: str, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep):  # fmt: skip
        self.site = site
        self.policy = policy or RetryPolicy.from_settings()
        self.sleep = sleep
        self.requests = 0
        self.api = API(url=site, consumer_key=key, consumer_secret=secret, version="wc/v3",
                       timeout=self.policy.timeout, user_agent="Shopbot")  # fmt: skip

    def get(self, endpoint: str, params: dict | None = None) -> Answer:
        """The endpoint's JSON and paging headers; AuthError, TransientError (after retries) or PlatformError."""
        attempts = len(self.policy.delays) + 1
        for attempt in range(attempts):
            try:
                return self._get(endpoint, dict(params or {}))
            except TransientError as exc:
                if attempt == attempts - 1:
                    raise TransientError(f"{exc} Gave up after {attempts} tries.") from exc
                delay = self.policy.delays[attempt]
                log.warning("woocommerce %s: %s; try %d of %d in %.1fs", self.site, exc, attempt + 2, attempts, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")

    def post(self, endpoint: str, data: dict) -> Answer:
        """One POST (never retried: WooCommerce would create the row twice)."""
        return self._get(endpoint, {}, data=data)

    def _get(self, endpoint: str, params: dict, data: dict | None = None) -> Answer:
        self.requests += 1
        try:
            if data is None:
                response = self.api.get(endpoint, params=params, allow_redirects=False)
            else:
                response = self.api.post(endpoint, data, params=params, allow_redirects=False)
        except requests.Timeout:
            raise TransientError(f"{self.site} did not answer within {self.policy.timeout:g}s.") from None
        except requests.RequestException as exc:
            raise TransientError(f"Could not reach {self.site}: {type(exc).__name__}.") from None
        return _parse(self.site, endpoint, response)


def _parse(site: str, endpoint: str, response: requests.Response) -> Answer:
    status = response.status_code
    snippet = response.text[:200]
    if status in (401, 403):
        log.warning("woocommerce %s refused the keys (HTTP %s): %s", site, status, snippet)
        raise AuthError(f"{site} refused the consumer key and secret (HTTP {status}). Check them, and that they "
                        "have Read access.")  # fmt: skip
    if status == 404:
        raise PlatformError(f"{site} has no WooCommerce REST API at /wp-json/wc/v3/{endpoint} (HTTP 404). "
                            "Check the address and that permalinks are not 'Plain'.")  # fmt: skip
    if status == 429 or status >= 500:
        raise TransientError(f"{site} answered HTTP {status}.")
    if 300 <= status < 400:
        raise PlatformError(f"{site} redirects the API to {response.headers.get('Location', 'elsewhere')!r}; "
                            "connect with that address instead.")  # fmt: skip
    if status not in (200, 201):
        log.warning("woocommerce %s answered HTTP %s: %s", site, status, snippet)
        raise PlatformError(f"{site} answered HTTP {status} for {endpoint}{_said(response)}.")
    if response.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
        raise TransientError(f"{site} answered with a web page, not JSON.")
    try:
        data = response.json()
    except ValueError:
        raise TransientError(f"{site} answered with broken JSON.") from None
    if not isinstance(data, list | dict):
        raise TransientError(f"{site} answered with JSON that is neither a list nor an object.")
    return Answer(data=data, total=_int(response.headers.get("X-WP-Total")),
                  pages=_int(response.headers.get("X-WP-TotalPages")))  # fmt: skip


def _said(response: requests.Response) -> str:
    """WooCommerce's own reason for a refusal (``{"code", "message"}``), when it gave one."""
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        return ""
    return f": {str(message)[:200]}" if message else ""


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
