"""Kinds fired by news from the shop: an order shipped, a watched product came back in stock.

The conversation service turns each piece of news into a pending update for the shopper it concerns and
delivers it while they are online, or at their next visit; the flow reads the details in ``vars.trigger``.
"""

from __future__ import annotations

from flows.triggers.base import KindConfig, Signal, TriggerKind


class OrderFulfilled(TriggerKind):
    LABEL = "Order shipped"
    EVENTS = frozenset({"order_fulfilled"})

    class Config(KindConfig):
        pass

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        return True


class BackInStock(TriggerKind):
    LABEL = "Back in stock"
    EVENTS = frozenset({"back_in_stock"})

    class Config(KindConfig):
        pass

    @staticmethod
    def matches(config: Config, signal: Signal) -> bool:
        return True
