"""Back in stock: for an out-of-stock product, offer to tell the shopper when it is back.

``product`` (and optionally ``variant``) are templates giving platform ids or a handle, e.g.
``{{ vars.product_id }}``; empty: the first product in the cart. In stock now: leaves by ``in_stock`` without
asking. Out of stock: asks ``offer_text`` with yes/no buttons; a yes returns a WatchRestock effect (the
conversation service records who waits with ``integrations.restock``; the proactive "it's back" message is a
trigger's job) and leaves by ``watching``; a no leaves by ``declined``. An unknown product leaves by ``unknown``.
Texts can read ``{{ vars.product_title }}``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, NodeContext, NodeResult, Reply, WatchRestock
from flows.nodes.shop_common import NO, NO_SHOP, cart_product_ids, render_with, yes_no_buttons, yes_or_no

LABEL = "Back in stock"
CATEGORY = "shop"
ICON = "bell"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(
        "{{ vars.product_id }}", max_length=255, title="Product",
        description="A product's id or handle, or {{ }}; empty: the first product in the cart.",
    )  # fmt: skip
    variant: str = Field("", max_length=255, title="Variant", description="A variant id, or {{ }}; empty: any.")
    offer_text: str = Field(
        "{{ vars.product_title }} is sold out right now. Shall I let you know when it's back?", min_length=1,
        max_length=MAX_TEXT, title="Offer", description="Asked with yes/no buttons.",
    )  # fmt: skip
    yes_title: str = Field("Yes, tell me", min_length=1, max_length=40, title="Yes button", description="Accepts.")
    no_title: str = Field("No, thanks", min_length=1, max_length=40, title="No button", description="Declines.")
    confirm_text: str = Field(
        "Done! I'll let you know here as soon as {{ vars.product_title }} is back.", max_length=MAX_TEXT,
        title="Confirmation", description="Said once the shopper is on the list.",
    )  # fmt: skip


def ports(config: Config) -> list[str]:
    return ["watching", "declined", "in_stock", "unknown"]


def waits_for_shopper(config: Config) -> bool:
    return True


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.shop is None:
        return NodeResult(error=NO_SHOP)
    state = dict(ctx.node_state)
    if ctx.effect_result is not None:
        return _recorded(config, ctx, state)
    if ctx.incoming is None:
        return _offer(config, ctx)
    answer = yes_or_no(ctx, config.yes_title, config.no_title)
    if answer is None:
        return NodeResult(unhandled=True, wait_for_input=True, node_state=state, next=None)
    if answer == NO:
        return NodeResult(next="declined")
    return NodeResult(effect=WatchRestock(product_id=state["product_id"], variant_id=state.get("variant_id", "")),
                      node_state=state, next=None)  # fmt: skip


def _offer(config: Config, ctx: NodeContext) -> NodeResult:
    in_cart = cart_product_ids(ctx)
    product = (ctx.render(config.product).strip() if config.product else "") or (in_cart[0] if in_cart else "")
    variant = ctx.render(config.variant).strip() if config.variant else ""
    found = ctx.shop.product_availability(product, variant) if product else None
    if found is None:
        return NodeResult(next="unknown")
    title = found["title"] + (f" ({found['variant_title']})" if found.get("variant_title") else "")
    if found["in_stock"]:
        return NodeResult(set_vars={"product_title": title}, next="in_stock")
    buttons = yes_no_buttons(ctx, config.yes_title, config.no_title)
    state = {"product_id": found["product_id"], "variant_id": found.get("variant_id", ""), "title": title}
    return NodeResult(
        replies=[Reply.message(render_with(ctx, config.offer_text, product_title=title), buttons=buttons)],
        set_vars={"product_title": title}, wait_for_input=True, node_state=state, next=None,
    )  # fmt: skip


def _recorded(config: Config, ctx: NodeContext, state: dict) -> NodeResult:
    outcome = ctx.effect_result
    if outcome.get("ok"):
        text = render_with(ctx, config.confirm_text, product_title=state.get("title", ""))
        event = AnalyticsEvent("restock_watch", {"product_id": state.get("product_id", "")})
        return NodeResult(replies=[Reply.message(text)] if text.strip() else [], next="watching", events=[event])
    return NodeResult(next="in_stock" if outcome.get("in_stock") else "unknown")
