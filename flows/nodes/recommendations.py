"""Recommendations: product cards that go with a product, resemble it, or suit this shopper.

``bought_together`` and ``similar`` start from ``product`` (a template giving a product's platform id or
handle, such as ``{{ vars.product_id }}``); when it renders empty they start from the first product in the
shopper's cart. ``personal`` uses the verified customer's orders and what is in the cart, then best sellers;
it never shows something out of stock or already bought. Cards leave by ``found``; no picks leave by ``empty``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from flows.nodes.base import MAX_TEXT, NodeContext, NodeResult, Reply
from flows.nodes.shop_common import NO_SHOP, cards_result, cart_product_ids

LABEL = "Recommendations"
CATEGORY = "shop"
ICON = "star"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["bought_together", "similar", "personal"] = Field(
        "personal", title="Which picks",
        description="Often bought together, similar products, or personal picks for this shopper.",
    )  # fmt: skip
    product: str = Field(
        "", max_length=255, title="Starting product",
        description="A product's id or handle, or {{ }}; empty: the first product in the cart.",
    )  # fmt: skip
    limit: int = Field(4, ge=1, le=10, title="At most", description="How many cards to show.")
    text: str = Field(
        "You might also like:", min_length=1, max_length=MAX_TEXT, title="Message", description="Shown above the cards."
    )
    empty_text: str = Field(
        "", max_length=MAX_TEXT, title="No picks", description="Said before leaving by 'empty'; empty: say nothing."
    )


def ports(config: Config) -> list[str]:
    return ["found", "empty"]


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.shop is None:
        return NodeResult(error=NO_SHOP)
    in_cart = cart_product_ids(ctx)
    if config.kind == "personal":
        cards = ctx.shop.recommendation_cards("personal", seen=in_cart, limit=config.limit)
    else:
        start = (ctx.render(config.product).strip() if config.product else "") or (in_cart[0] if in_cart else "")
        cards = ctx.shop.recommendation_cards(config.kind, product=start, limit=config.limit) if start else []
    if not cards:
        text = ctx.render(config.empty_text) if config.empty_text else ""
        return NodeResult(replies=[Reply.message(text)] if text.strip() else [], next="empty")
    return cards_result(ctx, config.text, cards, next="found")
