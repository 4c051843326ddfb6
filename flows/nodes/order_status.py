"""Order status without leaking orders: status, items, shipping and tracking, only for the order's owner.

- A verified customer (signed in on the store, the widget's identity signature checked) picks from their
  recent orders, or types the number of one of their own.
- Anyone else gives the order number (any shape: "#1042", "1042", "order 1042", the platform's own names) and
  the email on that order, in one message or two. ``ctx.shop.find_order`` answers a wrong pair exactly like an
  unknown number, and stops answering after repeated misses (per contact and per store); the node then says
  ``throttled_text`` and leaves by ``not_found``.

An answer leaves by ``found`` (``vars.order_name`` is the order's name) and records ``order_status_answered``.
After ``max_tries`` misses the node leaves by ``not_found``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, Button, NodeContext, NodeResult, Reply
from flows.nodes.buttons import chosen, payload
from flows.nodes.collect_input import EMAIL, parse_email
from flows.nodes.shop_common import NO_SHOP

LABEL = "Order status"
CATEGORY = "shop"
ICON = "truck"
OTHER = "other"
MAX_REFERENCE = 64
STATUS = {
    "fulfilled": "shipped", "partially_fulfilled": "partly shipped", "in_progress": "being packed",
    "on_hold": "on hold", "restocked": "returned", "unfulfilled": "being prepared", "open": "being prepared",
    "pending_fulfillment": "being prepared", "scheduled": "scheduled to ship", "request_declined": "being prepared",
}  # fmt: skip
UNPAID = {"pending": "waiting for payment", "authorized": "payment authorised, being prepared"}


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number_prompt: str = Field(
        "What's your order number? You'll find it in your order confirmation email.", min_length=1,
        max_length=MAX_TEXT, title="Ask for the number", description="Asked of shoppers who are not signed in.",
    )  # fmt: skip
    email_prompt: str = Field(
        "And the email address you used for that order?", min_length=1, max_length=MAX_TEXT,
        title="Ask for the email", description="The order is shown only if its email matches.",
    )  # fmt: skip
    pick_prompt: str = Field(
        "Which order would you like to check?", min_length=1, max_length=MAX_TEXT, title="Pick an order",
        description="Shown with a signed-in customer's recent orders.",
    )  # fmt: skip
    not_found_text: str = Field(
        "I couldn't find an order with that number and email. Please check both and try again.", min_length=1,
        max_length=MAX_TEXT, title="Not found", description="Said alike for an unknown number and a wrong email.",
    )  # fmt: skip
    throttled_text: str = Field(
        "I can't look up more orders right now. Please try again later, or ask to talk to us.", min_length=1,
        max_length=MAX_TEXT, title="Too many tries", description="Said after too many wrong numbers or emails.",
    )  # fmt: skip
    recent: int = Field(5, ge=1, le=8, title="Recent orders", description="How many orders a customer picks from.")
    max_tries: int = Field(3, ge=1, le=5, title="Tries", description="Wrong number/email pairs before giving up.")


def ports(config: Config) -> list[str]:
    return ["found", "not_found"]


def waits_for_shopper(config: Config) -> bool:
    return True


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.shop is None:
        return NodeResult(error=NO_SHOP)
    state = dict(ctx.node_state)
    if ctx.incoming is None:
        return _enter(config, ctx)
    if state.get("stage") == "pick":
        return _picked(config, ctx, state)
    return _typed(config, ctx, state)


def _entities(ctx: NodeContext) -> dict:
    return ctx.data.get("entities") or {}


def _enter(config: Config, ctx: NodeContext) -> NodeResult:
    found = _entities(ctx)  # the message that led here may name the order ("where is #1042?")
    number, email = str(found.get("order_number") or ""), str(found.get("email") or "")
    if number:
        return _lookup(config, ctx, {"tries": 0}, number, email)
    orders = ctx.shop.verified_orders(limit=config.recent)
    if orders:
        options = [(str(i), _label(order)) for i, order in enumerate(orders)]
        buttons = [Button(title, payload(ctx.node_id, option_id)) for option_id, title in options]
        buttons.append(Button("Another order", payload(ctx.node_id, OTHER)))
        picks = [[option_id, order["name"]] for (option_id, _), order in zip(options, orders, strict=True)]
        state = {"stage": "pick", "orders": picks}
        return NodeResult(replies=[Reply.message(ctx.render(config.pick_prompt), buttons=buttons)],
                          wait_for_input=True, node_state=state, next=None)  # fmt: skip
    return _ask(ctx, config.number_prompt, {"stage": "number", "tries": 0})


def _label(order: dict) -> str:
    placed = _date(order.get("placed_at", ""))
    return f"{order['name']} · {placed}"[:40] if placed else str(order["name"])[:40]


def _date(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return ""
    return f"{moment.day} {moment.strftime('%b %Y')}"


def _ask(ctx: NodeContext, prompt: str, state: dict) -> NodeResult:
    return NodeResult(replies=[Reply.message(ctx.render(prompt))], wait_for_input=True, node_state=state, next=None)


def _picked(config: Config, ctx: NodeContext, state: dict) -> NodeResult:
    orders = state.get("orders") or []
    picked = chosen(ctx, [*[(option_id, name) for option_id, name in orders], (OTHER, "Another order")])
    if picked == OTHER:
        return _ask(ctx, config.number_prompt, {"stage": "number", "tries": 0})
    name = next((name for option_id, name in orders if option_id == picked), None)
    if name is None:  # typed a number (or anything) instead of pressing a button
        return _typed(config, ctx, {"stage": "number", "tries": 0})
    order = ctx.shop.verified_order(name)
    if order is None:  # no longer theirs (they signed out, or the order moved): ask like anyone else
        return _ask(ctx, config.number_prompt, {"stage": "number", "tries": 0})
    return _answer(order)


def _typed(config: Config, ctx: NodeContext, state: dict) -> NodeResult:
    text = ctx.incoming.text.strip()
    found = _entities(ctx)
    email = parse_email(str(found.get("email") or "")) or _email_in(text)
    if state.get("stage") == "email":
        if not email:
            return _ask(ctx, "That doesn't look like an email address. " + config.email_prompt, state)
        return _lookup(config, ctx, state, state.get("number", ""), email)
    number = str(found.get("order_number") or "") or EMAIL.sub(" ", text.lower()).strip(" ,;:.")
    if not number or len(number) > MAX_REFERENCE:
        return _ask(ctx, config.number_prompt, state)
    return _lookup(config, ctx, state, number, email)


def _email_in(text: str) -> str:
    match = EMAIL.search(text.lower())
    return parse_email(match.group(0)) or "" if match else ""


def _lookup(config: Config, ctx: NodeContext, state: dict, number: str, email: str) -> NodeResult:
    own = ctx.shop.verified_order(number)
    if own is not None:
        return _answer(own)
    if not email:
        return _ask(ctx, config.email_prompt, {**state, "stage": "email", "number": number[:MAX_REFERENCE]})
    outcome = ctx.shop.find_order(number, email)
    if outcome.get("status") == "found":
        return _answer(outcome["order"])
    tries = int(state.get("tries", 0)) + 1
    if outcome.get("status") == "throttled":
        return NodeResult(replies=[Reply.message(ctx.render(config.throttled_text))], next="not_found",
                          events=[AnalyticsEvent("order_status_throttled", {})])  # fmt: skip
    if tries >= config.max_tries:
        return NodeResult(replies=[Reply.message(ctx.render(config.not_found_text))], next="not_found")
    replies = [Reply.message(ctx.render(config.not_found_text)), Reply.message(ctx.render(config.number_prompt))]
    return NodeResult(replies=replies, wait_for_input=True, node_state={"stage": "number", "tries": tries}, next=None)


def _answer(order: dict) -> NodeResult:
    return NodeResult(
        replies=[Reply.message(describe(order))], set_vars={"order_name": order["name"]}, next="found",
        events=[AnalyticsEvent("order_status_answered", {"order_id": order["id"]})],
    )  # fmt: skip


def status_phrase(order: dict) -> str:
    if order.get("cancelled"):
        return "cancelled"
    if order.get("financial_status") == "refunded":
        return "refunded"
    fulfilment = order.get("fulfillment_status") or "unfulfilled"
    if fulfilment in ("unfulfilled", "open") and order.get("financial_status") in UNPAID:
        return UNPAID[order["financial_status"]]
    return STATUS.get(fulfilment, fulfilment.replace("_", " "))


def describe(order: dict) -> str:
    """The answer a shopper reads: status, items, each shipment with its tracking, the order page."""
    placed = _date(order.get("placed_at", ""))
    lines = [f"Order {order['name']}{f' (placed {placed})' if placed else ''} is {status_phrase(order)}."]
    if order.get("items"):
        lines.append("Items: " + ", ".join(order["items"][:10]) + (" and more" if len(order["items"]) > 10 else ""))
    for shipment in order.get("shipments") or []:
        carrier = shipment.get("carrier") or "the carrier"
        tracking = f", tracking number {shipment['tracking_number']}" if shipment.get("tracking_number") else ""
        lines.append(f"Shipped with {carrier}{tracking}.")
        if shipment.get("tracking_url"):
            lines.append(f"Track it: {shipment['tracking_url']}")
    if order.get("status_url"):
        lines.append(f"Order page: {order['status_url']}")
    return "\n".join(lines)
