"""The trigger registry: kind name -> kind class. The only place that knows which trigger kinds exist.

A trigger spec is a plain dict, as starter flows and the REST API write it::

    {"kind": "cart_abandoned", "idle_minutes": 30, "priority": 10, "cap_per_day": 1}
    {"kind": "page_url", "config": {"match": "regex", "value": "/products/.*-sale"}, "display": "open"}

The kind's settings may sit at the top level or under ``config``. ``parse_spec`` validates one and raises
``SpecError`` (a ``ValueError``) with a message an owner can act on and the field it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from flows.triggers.base import Signal, TriggerKind
from flows.triggers.cart import CartAbandoned, CartValue
from flows.triggers.page import CheckoutPage, PageUrl, Referrer, Utm
from flows.triggers.shop import BackInStock, OrderFulfilled
from flows.triggers.visit import CustomEvent, ExitIntent, Scroll, TimeOnPage, WidgetOpened

TRIGGER_KINDS: dict[str, type[TriggerKind]] = {
    "widget_opened": WidgetOpened,
    "page_url": PageUrl,
    "time_on_page": TimeOnPage,
    "scroll": Scroll,
    "exit_intent": ExitIntent,
    "cart_value": CartValue,
    "checkout_page": CheckoutPage,
    "cart_abandoned": CartAbandoned,
    "utm": Utm,
    "referrer": Referrer,
    "custom_event": CustomEvent,
    "order_fulfilled": OrderFulfilled,
    "back_in_stock": BackInStock,
}
DISPLAYS = ("teaser", "open")  # how the widget shows a proactive message: a bubble by the launcher, or opened
COMMON = {"kind", "priority", "cap_per_day", "cap_per_shopper", "enabled", "display", "config", "id"}
MAX_PRIORITY = 1000
MAX_PER_DAY = 10  # no trigger speaks to one shopper more often than this in a day, whatever it is set to
MAX_TRIGGERS_PER_FLOW = 20

__all__ = [
    "DISPLAYS", "TRIGGER_KINDS", "CleanSpec", "Signal", "SpecError", "kinds_for", "matches", "parse_spec", "schema",
]  # fmt: skip


class SpecError(ValueError):
    """A refused trigger spec: ``str()`` names the kind and the problem; ``field`` is where it is ("kind",
    "priority", "config.seconds"...) and ``reason`` the problem alone, for a form to show by that field."""

    def __init__(self, message: str, *, field: str = "", reason: str = ""):
        super().__init__(message)
        self.field = field
        self.reason = reason or message


@dataclass(frozen=True)
class CleanSpec:
    kind: str
    config: dict[str, Any]
    priority: int = 0
    cap_per_day: int = 1
    cap_per_shopper: int | None = None
    enabled: bool = True
    display: str = "teaser"


def kinds_for(event: str) -> list[str]:
    """The kinds that listen to a signal name."""
    return [name for name, kind in TRIGGER_KINDS.items() if event in kind.EVENTS]


def _whole(spec: dict, key: str, default, low: int, high: int, what: str):
    value = spec.get(key, default)
    if value is None and default is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SpecError(f"{what} is a whole number from {low} to {high}.", field=key)
    return value


def parse_spec(spec: Any) -> CleanSpec:
    """Validate one trigger spec; raises ``SpecError`` naming the problem and its field."""
    if not isinstance(spec, dict):
        raise SpecError("A trigger is an object with a kind.")
    kind_name = spec.get("kind")
    kind = TRIGGER_KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        raise SpecError(f"Unknown trigger kind {str(kind_name)[:40]!r}; use one of: {', '.join(TRIGGER_KINDS)}.",
                        field="kind")
    raw = spec.get("config")
    if raw is None:
        raw = {k: v for k, v in spec.items() if k not in COMMON}
    elif not isinstance(raw, dict) or set(spec) - COMMON:
        raise SpecError("Put the trigger's settings either in config or beside kind, not both.", field="config")
    try:
        config = kind.Config.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise SpecError(f"{kind_name}: {where + ': ' if where else ''}{message}",
                        field=f"config.{where}" if where else "config", reason=message) from None
    display = spec.get("display", "teaser")
    if display not in DISPLAYS:
        raise SpecError(
            "display is 'teaser' (a bubble by the chat button) or 'open' (opens the chat).", field="display"
        )
    enabled = spec.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SpecError("enabled is true or false.", field="enabled")
    return CleanSpec(
        kind=kind_name, config=config.model_dump(mode="json"), display=display, enabled=enabled,
        priority=_whole(spec, "priority", 0, -MAX_PRIORITY, MAX_PRIORITY, "priority"),
        cap_per_day=_whole(spec, "cap_per_day", 1, 1, MAX_PER_DAY, "cap_per_day (per shopper, per day)"),
        cap_per_shopper=_whole(spec, "cap_per_shopper", None, 1, 100, "cap_per_shopper (in all)"),
    )  # fmt: skip


def matches(kind: str, config: dict, signal: Signal) -> bool:
    """Does a stored trigger match? A config that no longer validates (a kind changed) matches nothing."""
    kind_class = TRIGGER_KINDS.get(kind)
    if kind_class is None or signal.event not in kind_class.EVENTS:
        return False
    try:
        parsed = kind_class.Config.model_validate(config)
    except ValidationError:
        return False
    return bool(kind_class.matches(parsed, signal))


def schema() -> list[dict]:
    """Each kind with its label, the signals it listens to and the JSON schema of its settings."""
    return [
        {"kind": name, "label": kind.LABEL, "schema": kind.Config.model_json_schema()}
        for name, kind in TRIGGER_KINDS.items()
    ]
