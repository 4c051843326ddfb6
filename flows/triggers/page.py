"""Kinds about the page the shopper is on: its address, the checkout, the campaign (UTM) and referrer."""

from __future__ import annotations

from typing import Literal

import regex
from pydantic import Field, model_validator

from flows.triggers.base import KindConfig, Signal, TriggerKind, path_of

MATCH_TIMEOUT = 0.02  # seconds a page rule may spend on one address
MAX_URL = 2000  # characters of the address a rule looks at
# A pattern must finish on this within the timeout when it is saved: catastrophic backtracking is refused.
_PROBE = "https://shop.example.com/" + "a" * 600 + "/" + "-1" * 300 + "!"


def check_pattern(pattern: str) -> None:
    """Refuse a regular expression that does not compile or that can take too long on an address."""
    try:
        compiled = regex.compile(pattern, flags=regex.IGNORECASE)
    except regex.error as exc:
        raise ValueError(f"The pattern is not a valid regular expression: {exc}.") from None
    try:
        compiled.search(_PROBE, timeout=MATCH_TIMEOUT * 5)
    except TimeoutError:
        raise ValueError("The pattern takes too long on an address; simplify it (avoid nested repeats).") from None


class PageUrl(TriggerKind):
    LABEL = "Page address"
    EVENTS = frozenset({"page_view"})

    class Config(KindConfig):
        match: Literal["contains", "exact", "regex"] = Field("contains", description="How the address is compared.")
        value: str = Field(min_length=1, max_length=200, description="Text, address or /path, or a pattern.")

        @model_validator(mode="after")
        def _pattern(self):
            if self.match == "regex":
                check_pattern(self.value)
            return self

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        url = str(signal.page.get("url") or "")[:MAX_URL]
        if not url:
            return False
        if config.match == "contains":
            return config.value.lower() in url.lower()
        if config.match == "exact":
            # "/sale" names a path on any host; a full address must be the same (a query or #part is ignored).
            target = path_of(url) if config.value.startswith("/") else url.split("#")[0].split("?")[0]
            return target.rstrip("/").lower() == config.value.rstrip("/").lower()
        try:
            return regex.search(config.value, url, flags=regex.IGNORECASE, timeout=MATCH_TIMEOUT) is not None
        except TimeoutError:
            return False


class CheckoutPage(TriggerKind):
    LABEL = "Checkout page"
    EVENTS = frozenset({"page_view"})

    class Config(KindConfig):
        include_cart: bool = Field(False, description="Also on the cart page (/cart).")

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        path = path_of(str(signal.page.get("url") or "")).lower()
        if path.startswith("/checkout") or "/checkouts/" in path:  # WooCommerce /checkout/, Shopify /checkouts/…
            return True
        return config.include_cart and path.rstrip("/") in ("/cart", "/basket")


class Utm(TriggerKind):
    LABEL = "Campaign link (UTM)"
    EVENTS = frozenset({"page_view"})

    class Config(KindConfig):
        source: str = Field("", max_length=100, description="utm_source, e.g. newsletter")
        medium: str = Field("", max_length=100, description="utm_medium, e.g. email")
        campaign: str = Field("", max_length=100, description="utm_campaign, e.g. summer-sale")

        @model_validator(mode="after")
        def _something(self):
            if not (self.source.strip() or self.medium.strip() or self.campaign.strip()):
                raise ValueError("Give at least one of source, medium or campaign.")
            return self

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        utm = signal.page.get("utm") or {}
        wanted = {"source": config.source, "medium": config.medium, "campaign": config.campaign}
        return all(utm.get(key, "") == value.strip().lower() for key, value in wanted.items() if value.strip())


class Referrer(TriggerKind):
    LABEL = "Came from a site"
    EVENTS = frozenset({"page_view"})

    class Config(KindConfig):
        contains: str = Field(min_length=1, max_length=200, description="Part of the referring address (instagram.com)")

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        referrer = str(signal.page.get("referrer") or "")[:MAX_URL].lower()
        return bool(referrer) and config.contains.strip().lower() in referrer
