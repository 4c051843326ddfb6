"""Product search: product cards for a keyword (typed by the shopper, or fixed in the node) or a collection.

``keyword``: the node's ``query`` (a template, e.g. ``{{ vars.question }}``) when it renders to something, else
it asks ``prompt`` and searches for the answer. The catalog search reads filters out of the words too
("red dress under 50"); the node's own filters win over them. ``collection``: the node's collection, or, when
none is set, the store's collections as buttons to pick from. Results leave by ``found``; nothing found says
``empty_text`` and leaves by ``none``. Records ``product_shown`` and ``product_search`` events.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, Button, NodeContext, NodeResult, Reply
from flows.nodes.buttons import chosen, payload
from flows.nodes.shop_common import NO_SHOP, cards_result, render_with

LABEL = "Product search"
CATEGORY = "shop"
ICON = "search"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["keyword", "collection"] = Field(
        "keyword", title="Search by", description="A keyword (the shopper's or yours), or a collection to browse."
    )
    query: str = Field(
        "", max_length=500, title="Keyword",
        description="Fixed words, or {{ }} such as {{ vars.question }}; empty: ask the shopper.",
    )  # fmt: skip
    prompt: str = Field(
        "What are you looking for?", min_length=1, max_length=MAX_TEXT, title="Question",
        description="Asked when there is no keyword yet.",
    )  # fmt: skip
    collection: str = Field(
        "", max_length=255, title="Collection", description="A collection's handle or title; empty: let them pick."
    )
    collection_prompt: str = Field(
        "Which collection would you like to browse?", min_length=1, max_length=MAX_TEXT,
        title="Collection question", description="Shown above the collections when the shopper picks one.",
    )  # fmt: skip
    min_price: Decimal | None = Field(None, ge=0, title="Lowest price", description="Only products from this price.")
    max_price: Decimal | None = Field(None, ge=0, title="Highest price", description="Only products up to this price.")
    in_stock: bool = Field(False, title="In stock only", description="Leave out products that cannot be bought now.")
    limit: int = Field(4, ge=1, le=10, title="At most", description="How many cards to show.")
    text: str = Field(
        "Here's what I found:", min_length=1, max_length=MAX_TEXT, title="Message",
        description="Shown above the cards; {{ vars.query }} is what was searched.",
    )  # fmt: skip
    empty_text: str = Field(
        "I couldn't find anything matching that.", max_length=MAX_TEXT, title="Nothing found",
        description="Said before leaving by 'none'; empty: say nothing.",
    )  # fmt: skip

    @model_validator(mode="after")
    def _prices(self) -> Config:
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            raise ValueError("The lowest price is above the highest price.")
        return self


def ports(config: Config) -> list[str]:
    return ["found", "none"]


def waits_for_shopper(config: Config) -> bool:
    return True


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.shop is None:
        return NodeResult(error=NO_SHOP)
    if config.mode == "collection":
        return _collection(config, ctx)
    if ctx.incoming is not None:
        return _search(config, ctx, ctx.incoming.text.strip()[:500])
    query = ctx.render(config.query).strip() if config.query else ""
    if query:
        return _search(config, ctx, query)
    return NodeResult(replies=[Reply.message(ctx.render(config.prompt))], wait_for_input=True, next=None)


def _collection(config: Config, ctx: NodeContext) -> NodeResult:
    if config.collection.strip():
        return _search(config, ctx, "", collection=config.collection.strip())
    if ctx.incoming is None:
        options = [(str(i), c["title"][:40], c["handle"]) for i, c in enumerate(ctx.shop.collections(limit=10))]
        if not options:
            return _nothing(config, ctx, "")
        buttons = [Button(title, payload(ctx.node_id, option_id)) for option_id, title, _ in options]
        return NodeResult(
            replies=[Reply.message(ctx.render(config.collection_prompt), buttons=buttons)], wait_for_input=True,
            node_state={"collections": [[option_id, title, handle] for option_id, title, handle in options]}, next=None,
        )  # fmt: skip
    options = ctx.node_state.get("collections") or []
    picked = chosen(ctx, [(option_id, title) for option_id, title, _ in options])
    if picked is None:  # typed something else: search for it instead of refusing
        return _search(config, ctx, ctx.incoming.text.strip()[:500])
    handle = next(handle for option_id, _, handle in options if option_id == picked)
    return _search(config, ctx, "", collection=handle)


def _search(config: Config, ctx: NodeContext, query: str, *, collection: str = "") -> NodeResult:
    cards = ctx.shop.search_cards(
        query, collection=collection, min_price=config.min_price, max_price=config.max_price,
        in_stock=config.in_stock, limit=config.limit,
    )  # fmt: skip
    searched = AnalyticsEvent("product_search", {"query": query[:200], "collection": collection, "results": len(cards)})
    if not cards:
        result = _nothing(config, ctx, query)
        result.events.append(searched)
        return result
    result = cards_result(ctx, config.text, cards, next="found", query=query or collection)
    result.events.append(searched)
    return result


def _nothing(config: Config, ctx: NodeContext, query: str) -> NodeResult:
    text = render_with(ctx, config.empty_text, query=query) if config.empty_text else ""
    return NodeResult(replies=[Reply.message(text)] if text.strip() else [], next="none")
