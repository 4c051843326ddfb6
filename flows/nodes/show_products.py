"""Show products: a message with a swipeable row of product cards from the shop's catalog.

The cards come from ``ctx.shop`` (the read-only shop queries the conversation service passes in): the newest
products, a collection, or products picked by handle. Out-of-stock products are left out unless every one
is out of stock. Records a ``product_shown`` event with the products shown.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, NodeContext, NodeResult, Reply

LABEL = "Show products"
CATEGORY = "shop"
ICON = "bag"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        "Here are a few you might like:", min_length=1, max_length=MAX_TEXT, title="Message",
        description="Shown above the cards; may use {{ }}.",
    )  # fmt: skip
    source: Literal["newest", "collection", "products"] = Field(
        "newest", title="Which products", description="The newest products, a collection, or products you pick."
    )
    collection: str = Field("", max_length=255, title="Collection", description="The collection's handle.")
    products: list[str] = Field(
        default_factory=list, max_length=10, title="Products", description="Product handles, in order."
    )
    limit: int = Field(4, ge=1, le=10, title="At most", description="How many cards to show.")

    @model_validator(mode="after")
    def _source_is_complete(self) -> Config:
        if self.source == "collection" and not self.collection.strip():
            raise ValueError("Choose the collection to show.")
        if self.source == "products" and not self.products:
            raise ValueError("Pick at least one product.")
        return self


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.shop is None:
        return NodeResult(error="the store has no shop connected, so there are no products to show")
    cards = ctx.shop.product_cards(
        source=config.source, collection=config.collection, handles=config.products, limit=config.limit
    )
    if not cards:
        return NodeResult(replies=[Reply.message("I couldn't find products to show right now.")])
    shown = [card.product_id for card in cards]
    return NodeResult(
        replies=[Reply.message(ctx.render(config.text), cards=cards)],
        events=[AnalyticsEvent("product_shown", {"products": shown})],
    )
