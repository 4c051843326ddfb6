"""Kinds fired by news from the shop: an order shipped, a watched product came back in stock.

The conversation service turns each piece of news into a pending update for the shopper it concerns and
delivers it while they are online, or at their next visit; the flow reads the details in ``vars.trigger``.
"""

from __future__ import annotations

from flows.triggers.base import OnSignal


class OrderFulfilled(OnSignal):
    LABEL = "Order shipped"
    EVENTS = frozenset({"order_fulfilled"})


class BackInStock(OnSignal):
    LABEL = "Back in stock"
    EVENTS = frozenset({"back_in_stock"})
