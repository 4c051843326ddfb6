"""One interface for every shop platform, and the registry that picks an adapter for a connection.

An adapter reads pages of platform-neutral records (plain dicts, shaped as ``integrations.mirror`` expects)
and knows nothing about the database; ``integrations.sync`` drives it and writes the mirror. Adding a
platform means a package with an adapter class registered here, not new models or ``if platform ==``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from importlib import import_module
from typing import Protocol

# The order a sync walks them in: collections and orders refer to products, orders to customers.
RESOURCES = ("products", "collections", "customers", "orders")


class PlatformError(Exception):
    """The platform said no, or said something we cannot use. ``str()`` is shown to the store owner."""


class AuthError(PlatformError):
    """The credentials were refused: reconnect the store."""


class TransientError(PlatformError):
    """A time-out, a 5xx, an HTML page or a dropped connection, after the client's own retries."""


class BadData(PlatformError):
    """A page the platform sent does not hold what a mirror row needs; nothing of that page was written."""


def parse_money(value, what: str, platform: str, *, required: bool = False) -> Decimal | None:
    """A price as platforms send it (a string such as "19.99", or a number), to cents; ``BadData`` if unusable."""
    if value is None or value == "":
        if required:
            raise BadData(f"{platform} sent {what} without a price.")
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise BadData(f"{platform} sent {what} with the price {value!r}, which is not a number.") from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        raise BadData(f"{platform} sent {what} with the price {value!r}, which is out of range.")
    return amount.quantize(Decimal("0.01"))


@dataclass
class Page:
    records: list[dict]
    cursor: str | None  # pass as ``after`` for the next page
    has_next: bool


@dataclass
class ShopInfo:
    name: str
    domain: str
    currency: str = ""
    timezone: str = ""
    extra: dict = field(default_factory=dict)


class Adapter(Protocol):
    def shop_info(self) -> ShopInfo: ...

    def count(self, resource: str, *, since: datetime | None) -> int | None: ...

    def fetch(self, resource: str, *, since: datetime | None, after: str | None) -> Page: ...


# platform -> "module:factory"; the factory takes a Connection and a heartbeat (call it while waiting long on
# the platform, so the sync keeps its lease) and returns a context manager of an Adapter.
ADAPTERS: dict[str, str] = {
    "shopify": "integrations.shopify.sync:open_adapter",
    "woocommerce": "integrations.woocommerce.sync:open_adapter",
}


@contextmanager
def open_adapter(connection, heartbeat: Callable[[], None] = lambda: None) -> Iterator[Adapter]:
    """The connection's adapter, with any per-tenant client state set up and torn down around it."""
    path = ADAPTERS.get(connection.platform)
    if path is None:
        raise PlatformError(f"Syncing from {connection.get_platform_display()} is not available yet.")
    module, name = path.split(":")
    with getattr(import_module(module), name)(connection, heartbeat) as adapter:
        yield adapter
