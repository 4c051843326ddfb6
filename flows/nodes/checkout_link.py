"""Checkout link: the chosen variants in a link to the shop's own cart, with a discount code applied.

Items: the shopper's cart (from the page), variants saved in a chat variable (a list of ``{"variant_id",
"quantity"}`` or of variant ids), variants fixed in the node, or none (a link that only applies the code).
Variants the store no longer sells (deleted, archived) are left out and the shopper is told; with nothing
left the node says ``empty_text`` and leaves by ``empty``.

Discount: none; a code the owner typed; or a unique single-use code created on the shop's platform when the
store allows it (Store setting; a CreateDiscount effect the conversation service performs). A code already
saved in ``vars.<save_code_to>`` is reused rather than creating another. When the store does not allow unique
codes the typed ``code`` is used instead (none typed: the link has no code). When the platform refuses, the
shopper gets the link without a code and ``refused_text``, and the node leaves by ``error`` (with no items and
so nothing to link to, they hear ``NO_CODE_TEXT``). Records ``discount_shown`` {code}.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, CreateDiscount, NodeContext, NodeResult, Reply
from flows.nodes.set_variable import NAME
from flows.nodes.shop_common import NO_SHOP, render_with

LABEL = "Checkout link"
CATEGORY = "shop"
ICON = "cart"
CODE = r"^[A-Za-z0-9_-]{0,64}$"
VARIABLE = f"^{NAME.pattern}$"
NO_CODE_TEXT = "Sorry, I couldn't get a discount code for you just now."


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    variant_id: str = Field(min_length=1, max_length=40, title="Variant id", description="The platform's variant id.")
    quantity: int = Field(1, ge=1, le=99, title="Quantity", description="How many.")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: Literal["cart", "variable", "fixed", "none"] = Field(
        "cart", title="Items", description="The shopper's cart, variants saved in a variable, fixed ones, or none."
    )
    variable: str = Field(
        "chosen", max_length=50, pattern=VARIABLE, title="Variable",
        description="For 'variable': the chat variable holding the chosen variants.",
    )  # fmt: skip
    variants: list[Item] = Field(
        default_factory=list, max_length=20, title="Variants", description="For 'fixed': the variants to add."
    )
    discount: Literal["none", "code", "unique"] = Field(
        "none", title="Discount", description="No code, the code you type, or a unique code made for this shopper."
    )
    code: str = Field(
        "", max_length=64, pattern=CODE, title="Code",
        description="Your code (letters, digits, - and _); with 'unique': used when codes cannot be created.",
    )  # fmt: skip
    percent: int = Field(10, ge=1, le=100, title="Percent off", description="For a unique code.")
    prefix: str = Field("", max_length=12, pattern=r"^[A-Za-z0-9]*$", title="Code prefix", description="E.g. CHAT.")
    valid_days: int = Field(7, ge=1, le=90, title="Valid for (days)", description="For a unique code.")
    save_code_to: str = Field(
        "discount_code", max_length=50, pattern=VARIABLE, title="Save the code to",
        description="A chat variable; a code already there is reused.",
    )  # fmt: skip
    text: str = Field(
        "Here's your cart with code {{ vars.discount_code }} applied: {{ vars.checkout_url }}", min_length=1,
        max_length=MAX_TEXT, title="Message with a code",
        description="{{ vars.checkout_url }} is the link, {{ vars.discount_code }} the code.",
    )  # fmt: skip
    text_without_code: str = Field(
        "Here's your cart, ready to check out: {{ vars.checkout_url }}", min_length=1, max_length=MAX_TEXT,
        title="Message without a code", description="When there is no code.",
    )  # fmt: skip
    refused_text: str = Field(
        "I couldn't make a discount code just now, sorry. Your cart is ready here: {{ vars.checkout_url }}",
        min_length=1, max_length=MAX_TEXT, title="Code refused", description="When no code could be made.",
    )  # fmt: skip
    empty_text: str = Field(
        "Your cart is empty, so there's nothing to check out yet.", max_length=MAX_TEXT, title="Nothing to buy",
        description="Said before leaving by 'empty'.",
    )  # fmt: skip

    @model_validator(mode="after")
    def _complete(self) -> Config:
        if self.discount == "code" and not self.code:
            raise ValueError("Type the discount code.")
        if self.items == "fixed" and not self.variants:
            raise ValueError("Add at least one variant.")
        if self.items == "none" and self.discount == "none":
            raise ValueError("A link without items needs a discount code.")
        return self


def ports(config: Config) -> list[str]:
    return ["default", "empty", "error"]


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.shop is None:
        return NodeResult(error=NO_SHOP, next="error")
    state = dict(ctx.node_state)
    if ctx.effect_result is not None:
        outcome = ctx.effect_result
        code = str(outcome.get("code") or "") if outcome.get("ok") else ""
        return _finish(config, ctx, state.get("lines", []), state.get("dropped", []), code, refused=not code)
    lines, dropped = ([], []) if config.items == "none" else ctx.shop.cart_lines(_items(config, ctx))
    if config.items != "none" and not lines:
        text = ctx.render(config.empty_text) if config.empty_text else ""
        return NodeResult(replies=[Reply.message(text)] if text.strip() else [], next="empty")
    if config.discount == "code":
        return _finish(config, ctx, lines, dropped, config.code)
    if config.discount == "unique":
        saved = str((ctx.data.get("vars") or {}).get(config.save_code_to) or "")
        if saved:
            return _finish(config, ctx, lines, dropped, saved)
        policy = ctx.shop.discount_policy()
        if policy.get("unique_codes") and config.percent <= int(policy.get("max_percent") or 0):
            effect = CreateDiscount(percent=config.percent, prefix=config.prefix, valid_days=config.valid_days)
            return NodeResult(effect=effect, node_state={"lines": lines, "dropped": dropped}, next=None)
        return _finish(config, ctx, lines, dropped, config.code)  # not allowed here: the typed code, if any
    return _finish(config, ctx, lines, dropped, "")


def _items(config: Config, ctx: NodeContext) -> list[dict[str, Any]]:
    if config.items == "fixed":
        return [item.model_dump() for item in config.variants]
    if config.items == "cart":
        raw = (ctx.data.get("cart") or {}).get("items") or []
    else:
        raw = (ctx.data.get("vars") or {}).get(config.variable) or []
        raw = raw if isinstance(raw, list) else [raw]
    items = []
    for item in raw[:50]:
        if isinstance(item, dict):
            items.append({"variant_id": item.get("variant_id"), "quantity": item.get("quantity", 1)})
        elif isinstance(item, str | int) and not isinstance(item, bool):
            items.append({"variant_id": str(item), "quantity": 1})
    return items


def _finish(
    config: Config, ctx: NodeContext, lines: list, dropped: list, code: str, *, refused: bool = False
) -> NodeResult:
    url = ctx.shop.cart_url(lines, code)
    if not url and not lines:  # a code-only link without a code
        return NodeResult(replies=[Reply.message(NO_CODE_TEXT)], next="error")
    if not url:
        return NodeResult(error="the store has no shop to send shoppers to for checkout", next="error")
    values = {"checkout_url": url, "discount_code": code}
    template = config.refused_text if refused else (config.text if code else config.text_without_code)
    replies = []
    if dropped:
        n = len(dropped)
        replies.append(Reply.message(
            f"{n} item{'s' if n > 1 else ''} in your cart {'are' if n > 1 else 'is'} no longer available, so I left "
            f"{'them' if n > 1 else 'it'} out."
        ))  # fmt: skip
    replies.append(Reply.message(render_with(ctx, template, **values)))
    events = [AnalyticsEvent("checkout_link_shown", {"items": sum(int(line["quantity"]) for line in lines)})]
    set_vars = {"checkout_url": url}
    if code:
        events.append(AnalyticsEvent("discount_shown", {"code": code}))
        set_vars[config.save_code_to] = code
    return NodeResult(replies=replies, set_vars=set_vars, events=events, next="error" if refused else "default")
