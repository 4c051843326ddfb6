"""Capture lead: ask for consent (buttons), then an email and/or a phone number, check them, and keep them.

Nothing is asked or stored without the shopper pressing "yes" (or typing it). The answers are checked like
``collect_input`` checks them (re-asked with a hint, ``max_tries`` times). Then the node returns a SaveLead
effect: the conversation service stores them on the contact with the consent and its time, and tells the
store's webhooks (``lead.captured``). Leaves by ``captured`` (records ``lead_captured``), ``declined`` (no
consent) or ``failed`` (no valid answer, or the service refused it).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, NodeContext, NodeResult, Reply, SaveLead
from flows.nodes.collect_input import HINTS, parse_email, parse_phone
from flows.nodes.shop_common import NO, yes_no_buttons, yes_or_no

LABEL = "Capture lead"
CATEGORY = "shop"
ICON = "mail"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ask_for: Literal["email", "phone", "both"] = Field(
        "email", title="Ask for", description="An email address, a phone number, or both."
    )
    consent_text: str = Field(
        "Can we send you offers and news? You can unsubscribe at any time.", min_length=1, max_length=MAX_TEXT,
        title="Consent question", description="Asked first, with yes/no buttons; nothing is asked without a yes.",
    )  # fmt: skip
    yes_title: str = Field("Yes, please", min_length=1, max_length=40, title="Yes button", description="Agrees.")
    no_title: str = Field("No, thanks", min_length=1, max_length=40, title="No button", description="Declines.")
    email_prompt: str = Field(
        "What's your email address?", min_length=1, max_length=MAX_TEXT, title="Ask for the email",
        description="Asked after a yes.",
    )  # fmt: skip
    phone_prompt: str = Field(
        "And your phone number, with the country code?", min_length=1, max_length=MAX_TEXT,
        title="Ask for the phone", description="Asked after a yes (and the email).",
    )  # fmt: skip
    thanks_text: str = Field(
        "Thanks, you're on the list!", max_length=MAX_TEXT, title="Thanks", description="Said once it is stored."
    )
    declined_text: str = Field(
        "No problem.", max_length=MAX_TEXT, title="Declined", description="Said when they decline; empty: nothing."
    )
    skip_known: bool = Field(
        True, title="Skip what we know", description="Do not ask for an email or phone the contact already gave."
    )
    max_tries: int = Field(3, ge=1, le=10, title="Tries", description="How many answers to accept before giving up.")
    source: str = Field(
        "chat", max_length=100, title="Source", description="Sent with the lead to your webhooks, e.g. 'first order'."
    )


def ports(config: Config) -> list[str]:
    return ["captured", "declined", "failed"]


def waits_for_shopper(config: Config) -> bool:
    return True


def _fields(config: Config, ctx: NodeContext) -> list[str]:
    wanted = ["email", "phone"] if config.ask_for == "both" else [config.ask_for]
    contact = ctx.data.get("contact") or {}
    return [f for f in wanted if not (config.skip_known and contact.get(f))] or wanted[:1]


def _say(ctx: NodeContext, text: str) -> list[Reply]:
    rendered = ctx.render(text) if text else ""
    return [Reply.message(rendered)] if rendered.strip() else []


def run(config: Config, ctx: NodeContext) -> NodeResult:
    state = dict(ctx.node_state)
    if ctx.effect_result is not None:
        return _stored(config, ctx, state)
    if ctx.incoming is None:
        buttons = yes_no_buttons(ctx, config.yes_title, config.no_title)
        return NodeResult(replies=[Reply.message(ctx.render(config.consent_text), buttons=buttons)],
                          wait_for_input=True, node_state={"stage": "consent"}, next=None)  # fmt: skip
    if state.get("stage") == "consent":
        answer = yes_or_no(ctx, config.yes_title, config.no_title)
        if answer is None:
            return NodeResult(unhandled=True, wait_for_input=True, node_state=state, next=None)
        if answer == NO:
            return NodeResult(replies=_say(ctx, config.declined_text), next="declined")
        return _ask_next(config, ctx, {"stage": "answer", "todo": _fields(config, ctx), "got": {}, "tries": 0})
    return _answered(config, ctx, state)


def _ask_next(config: Config, ctx: NodeContext, state: dict) -> NodeResult:
    if not state["todo"]:
        got = state["got"]
        effect = SaveLead(email=got.get("email", ""), phone=got.get("phone", ""), consent=True, source=config.source)
        return NodeResult(effect=effect, node_state=state, next=None)
    prompt = config.email_prompt if state["todo"][0] == "email" else config.phone_prompt
    return NodeResult(replies=[Reply.message(ctx.render(prompt))], wait_for_input=True, node_state=state, next=None)


def _answered(config: Config, ctx: NodeContext, state: dict) -> NodeResult:
    field = state["todo"][0]
    value = (parse_email if field == "email" else parse_phone)(ctx.incoming.text)
    if value is None:
        tries = state.get("tries", 0) + 1
        if tries >= config.max_tries:
            return NodeResult(next="failed")
        return NodeResult(replies=[Reply.message(HINTS[field])], wait_for_input=True,
                          node_state={**state, "tries": tries}, next=None)  # fmt: skip
    state = {**state, "todo": state["todo"][1:], "got": {**state["got"], field: value}, "tries": 0}
    return _ask_next(config, ctx, state)


def _stored(config: Config, ctx: NodeContext, state: dict) -> NodeResult:
    if not ctx.effect_result.get("ok"):
        return NodeResult(next="failed")
    got = dict(state.get("got") or {})
    # Already stored by the service; set again so the rest of the flow reads them as contact.email/phone.
    event = AnalyticsEvent("lead_captured", {"fields": sorted(got), "source": config.source})
    return NodeResult(replies=_say(ctx, config.thanks_text), next="captured", set_contact=got, events=[event])
