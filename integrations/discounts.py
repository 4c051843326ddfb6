"""Unique discount codes, created on the shop's platform for one shopper when the store allows it.

``create_discount_code`` is what the conversation service calls (outside any transaction: it waits on the
platform) when a checkout-link node asks for a code. It checks the store's setting and its ceiling, caps how
many codes one contact and one store may get (a flow that loops, or a shopper who keeps asking, must not fill
the shop with codes), then asks the platform through its client. A platform's refusal is a ``DiscountRefused``
whose message can be shown to the owner; the shopper's flow goes on by its error exit.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.utils import timezone

from integrations.adapters import PlatformError
from integrations.queries import get_connection
from tenants import throttle
from tenants.models import Store

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: shoppers type these
CODES_PER_CONTACT_PER_DAY = 3
CODES_PER_STORE_PER_HOUR = 200
# platform -> "module:function(connection, spec) -> code"
CREATORS: dict[str, str] = {
    "shopify": "integrations.shopify.discounts:create_discount",
    "woocommerce": "integrations.woocommerce.discounts:create_discount",
}


class DiscountRefused(PlatformError):
    """No code was created: the store does not allow it, a cap was reached, or the platform said no."""


@dataclass(frozen=True)
class DiscountSpec:
    code: str
    percent: int
    starts_at: datetime
    ends_at: datetime
    title: str


def new_code(prefix: str = "") -> str:
    prefix = "".join(ch for ch in prefix.upper() if ch.isalnum())[:12]
    return f"{prefix}{'-' if prefix else ''}{''.join(secrets.choice(CODE_ALPHABET) for _ in range(8))}"


def create_discount_code(store: Store, *, contact_id: int, percent: int, prefix: str = "", valid_days: int = 7) -> str:
    """A new single-use code for ``percent`` off the whole order, valid ``valid_days``; raises DiscountRefused."""
    if not store.discount_codes_enabled:
        raise DiscountRefused("This store does not let flows create discount codes.")
    if not 1 <= int(percent) <= store.discount_max_percent:
        raise DiscountRefused(f"{percent}% is more than the {store.discount_max_percent}% this store allows.")
    connection = get_connection(store)
    path = CREATORS.get(connection.platform) if connection is not None and connection.is_connected else None
    if path is None:
        raise DiscountRefused("The store has no shop connected that can create discount codes.")
    if throttle.count("discount-contact", str(store.pk), str(contact_id)) >= CODES_PER_CONTACT_PER_DAY:
        raise DiscountRefused("This shopper already got the most codes a day allows.")
    if throttle.count("discount-store", str(store.pk)) >= CODES_PER_STORE_PER_HOUR:
        raise DiscountRefused("The store created the most codes an hour allows.")
    now = timezone.now()
    spec = DiscountSpec(
        code=new_code(prefix), percent=int(percent), starts_at=now, ends_at=now + timedelta(days=max(1, valid_days)),
        title=f"Shopbot chat: {int(percent)}% off",
    )  # fmt: skip
    module, name = path.split(":")
    code = getattr(import_module(module), name)(connection, spec)
    throttle.hit("discount-contact", str(store.pk), str(contact_id), window=24 * 3600)
    throttle.hit("discount-store", str(store.pk), window=3600)
    return code
