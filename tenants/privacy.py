"""The privacy registry: each app registers how to export and erase a shopper's data and a store's data.

A shopper is named the way privacy requests name them (Shopify's customers/redact, a WooCommerce erasure
request, an email to the store owner): by email, phone, platform customer ids and order ids. Handlers
must match on every identifier they hold, scoped to the one store, and return JSON-serialisable data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from tenants.models import Store


@dataclass(frozen=True)
class Shopper:
    email: str = ""
    phone: str = ""
    customer_ids: tuple[str, ...] = ()
    order_ids: tuple[str, ...] = ()

    def __post_init__(self):
        if not (self.email or self.phone or self.customer_ids):
            raise ValueError("Name the shopper by email, phone or customer id.")
        object.__setattr__(self, "email", self.email.strip().lower())


@dataclass(frozen=True)
class PrivacyHandler:
    name: str
    export_shopper: Callable[[Store, Shopper], Any] | None = None
    erase_shopper: Callable[[Store, Shopper], int] | None = None
    export_store: Callable[[Store], Any] | None = None
    erase_store: Callable[[Store], int] | None = None


@dataclass
class _Registry:
    handlers: dict[str, PrivacyHandler] = field(default_factory=dict)


_registry = _Registry()


def register(handler: PrivacyHandler) -> PrivacyHandler:
    """Called from an app's ``AppConfig.ready``; registering the same name twice replaces it."""
    _registry.handlers[handler.name] = handler
    return handler


def unregister(name: str) -> None:
    _registry.handlers.pop(name, None)


def registered() -> list[PrivacyHandler]:
    return list(_registry.handlers.values())


def export_shopper_data(store: Store, shopper: Shopper) -> dict[str, Any]:
    return {h.name: h.export_shopper(store, shopper) for h in registered() if h.export_shopper}


@transaction.atomic
def erase_shopper_data(store: Store, shopper: Shopper) -> dict[str, int]:
    """Erase everything the store holds on the shopper, all or nothing; returns rows erased per app."""
    return {h.name: h.erase_shopper(store, shopper) for h in registered() if h.erase_shopper}


def export_store_data(store: Store) -> dict[str, Any]:
    return {h.name: h.export_store(store) for h in registered() if h.export_store}


@transaction.atomic
def erase_store_data(store: Store) -> dict[str, int]:
    """Run every app's store eraser, then delete the store itself (its rows cascade)."""
    erased = {h.name: h.erase_store(store) for h in registered() if h.erase_store}
    store.delete()
    return erased
