"""What the shop nodes share: the shop check, texts that read values the node just worked out, card replies.

Not a node type itself (the registry does not list it).
"""

from __future__ import annotations

from typing import Any

from flows import templating
from flows.nodes.base import AnalyticsEvent, Button, Card, NodeContext, NodeResult, Reply
from flows.nodes.buttons import chosen, payload

NO_SHOP = "the store has no shop connected, so this shop node cannot run"
YES, NO = "yes", "no"


def render_with(ctx: NodeContext, text: str, **values: Any) -> str:
    """Render ``text`` against the context plus ``values`` as ``vars.<name>`` (what the node just found)."""
    data = dict(ctx.data)
    data["vars"] = {**(ctx.data.get("vars") or {}), **values}
    return templating.render(text, data)


def cards_result(ctx: NodeContext, text: str, cards: list[Card], *, next: str, **values: Any) -> NodeResult:
    """A message with product cards, and the ``product_shown`` event the funnels read."""
    return NodeResult(
        replies=[Reply.message(render_with(ctx, text, **values), cards=cards)],
        events=[AnalyticsEvent("product_shown", {"products": [card.product_id for card in cards]})],
        next=next,
    )


def cart_product_ids(ctx: NodeContext) -> list[str]:
    """The platform product ids in the shopper's cart (from the page), in order."""
    items = (ctx.data.get("cart") or {}).get("items") or []
    return [str(item.get("product_id")) for item in items if isinstance(item, dict) and item.get("product_id")]


def yes_no_buttons(ctx: NodeContext, yes_title: str, no_title: str) -> list[Button]:
    return [Button(yes_title, payload(ctx.node_id, YES)), Button(no_title, payload(ctx.node_id, NO))]


def yes_or_no(ctx: NodeContext, yes_title: str, no_title: str) -> str | None:
    """YES or NO for a press of either button, its title or a plain yes/no typed; None for anything else."""
    return chosen(ctx, [(YES, yes_title), (NO, no_title), (YES, "yes"), (NO, "no")])
