"""Kinds about the shopper's cart (as the page reports it)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from flows.triggers.base import KindConfig, Signal, TriggerKind, cart_items, number

MAX_IDLE_MINUTES = 7 * 24 * 60


class CartValue(TriggerKind):
    LABEL = "Cart value"
    EVENTS = frozenset({"cart_updated", "page_view"})

    class Config(KindConfig):
        min: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2, description="At least this much.")
        max: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2, description="At most this much.")

        @model_validator(mode="after")
        def _range(self):
            if self.min is None and self.max is None:
                raise ValueError("Give a minimum, a maximum, or both.")
            if self.min is not None and self.max is not None and self.min > self.max:
                raise ValueError("The minimum is more than the maximum.")
            return self

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        total = number(signal.cart.get("total"))
        if total is None or not cart_items(signal.cart):
            return False
        return (config.min is None or total >= config.min) and (config.max is None or total <= config.max)


class CartAbandoned(TriggerKind):
    """Items in the cart, then no activity for ``idle_minutes`` (the shopper went quiet or left).

    Every widget event with items in the cart sets a due time; the beat sweep fires ``cart_idle`` when it
    passes with ``idle_minutes`` since the last activity.
    """

    LABEL = "Cart abandoned"
    EVENTS = frozenset({"cart_idle"})

    class Config(KindConfig):
        idle_minutes: int = Field(30, ge=1, le=MAX_IDLE_MINUTES, description="Minutes without activity.")

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        idle = number(signal.data.get("idle_minutes"))
        return idle is not None and idle >= config.idle_minutes and cart_items(signal.cart) > 0
