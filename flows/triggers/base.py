"""What a trigger kind gets and answers. Kinds are pure: they say whether a signal matches their config.

A kind (a class registered in ``flows/triggers/__init__.py``) defines:

- ``Config``: a pydantic model of the kind's settings (validates what the owner or a starter flow stores);
- ``EVENTS``: the signal names it listens to (widget events such as ``page_view``, or the service's own:
  ``cart_idle`` from the sweep, ``order_fulfilled`` and ``back_in_stock`` from pending shop updates);
- ``matches(config, signal) -> bool``.

The conversation service decides everything else (priorities, caps, never interrupting a chat).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict

UTM_KEYS = ("source", "medium", "campaign", "term", "content")


class KindConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Signal:
    """Something that happened for one shopper: the event, its data, and the page, cart and visit it happened in."""

    event: str
    data: Mapping[str, Any] = field(default_factory=dict)
    page: Mapping[str, Any] = field(default_factory=dict)  # url, title, referrer, utm {source, medium, ...}
    cart: Mapping[str, Any] = field(default_factory=dict)  # items [...], total, currency
    visit: Mapping[str, Any] = field(default_factory=dict)  # first_visit, returning, logged_in


class TriggerKind:
    LABEL: ClassVar[str] = ""
    EVENTS: ClassVar[frozenset[str]] = frozenset()
    Config: ClassVar[type[KindConfig]] = KindConfig

    @staticmethod
    def matches(config: Any, signal: Signal) -> bool:  # pragma: no cover - every kind overrides it
        raise NotImplementedError


class OnSignal(TriggerKind):
    """A kind with no settings: the signal itself is the whole condition (exit intent, an order shipped…)."""

    @staticmethod
    def matches(config: Any, signal: Signal) -> bool:
        return True


def utm_of(url: str) -> dict[str, str]:
    """The ``utm_*`` parameters of a page address, lower-cased: {"source": "newsletter", ...}."""
    try:
        query = parse_qs(urlsplit(url or "").query)
    except ValueError:
        return {}
    return {key: query[f"utm_{key}"][0].strip().lower()[:100] for key in UTM_KEYS if query.get(f"utm_{key}")}


def path_of(url: str) -> str:
    try:
        return urlsplit(url or "").path or "/"
    except ValueError:
        return "/"


def number(value: Any) -> Decimal | None:
    """A cart total or a count as sent by a page: a number or a numeric string; anything else is None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def cart_items(cart: Mapping[str, Any]) -> int:
    """How many items a cart holds (the sum of quantities; an item without a quantity counts once)."""
    items = cart.get("items") if isinstance(cart, Mapping) else None
    if not isinstance(items, list):
        count = number(cart.get("item_count")) if isinstance(cart, Mapping) else None
        return int(count) if count and count > 0 else 0
    total = 0
    for item in items:
        quantity = number(item.get("quantity", 1)) if isinstance(item, Mapping) else None
        total += int(quantity) if quantity and quantity > 0 else (1 if isinstance(item, Mapping) else 0)
    return total
