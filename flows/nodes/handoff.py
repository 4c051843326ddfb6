"""Hand off to a human. With agents online: say so and hand the chat over. With none online: ask for an
email (unless it is known or ``ask_email`` is off), confirm, and hand over so the team replies later.

The email answer is re-asked up to three times; after that the chat is handed over without one. The
confirmation may use ``{{ contact.email }}``: it renders with the email just given. The engine also enters
this node with its default config for the fallback's "talk to a person" button, so every field has a default.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from flows import templating
from flows.nodes.base import MAX_TEXT, AnalyticsEvent, Handoff, NodeContext, NodeResult, Reply
from flows.nodes.collect_input import parse_email, tries_so_far

LABEL = "Talk to a person"
CATEGORY = "handoff"
ICON = "person"
EMAIL_TRIES = 3


def _text(default: str, title: str, description: str):
    return Field(default, max_length=MAX_TEXT, title=title, description=description)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = _text(
        "Let me bring in someone from our team. They'll be with you shortly.",
        "Message (team online)", "What the bot says when an agent is online.",
    )
    offline_message: str = _text(
        "Our team is away right now. Leave your email and we'll get back to you there.",
        "Message (team offline)", "When nobody is online. When asking for an email, end with that question.",
    )
    ask_email: bool = Field(True, title="Ask for an email", description="When nobody is online and it is unknown.")
    email_retry_text: str = _text(
        "That doesn't look like an email address. Could you check it? (like name@example.com)",
        "Hint for an invalid email", "Said when the answer is not an email address.",
    )
    confirmation: str = _text(
        "Thanks! We'll reply to {{ contact.email }} as soon as we're back.",
        "Confirmation", "Said once the email is known. May use {{ contact.email }}.",
    )
    no_email_text: str = _text(
        "No problem. Our team will reply here as soon as they're back.",
        "Without an email", "Said when the shopper gives no valid email after three tries.",
    )  # fmt: skip


def ports(config: Config) -> list[str]:
    return []


def waits_for_shopper(config: Config) -> bool:
    return config.ask_email


def run(config: Config, ctx: NodeContext) -> NodeResult:
    email = parse_email(ctx.incoming.text) if ctx.incoming and ctx.incoming.kind == "message" else None
    if ctx.agents_online:
        result = _hand_off(ctx.render(config.message), online=True)
    elif ctx.incoming is None:
        return _offline(config, ctx)
    elif email:
        result = _hand_off(templating.render(config.confirmation, _with_email(ctx.data, email)), online=False)
    else:
        tries = tries_so_far(ctx) + 1
        if tries < EMAIL_TRIES:
            reply = Reply.message(ctx.render(config.email_retry_text))
            return NodeResult(replies=[reply], wait_for_input=True, next=None, node_state={"tries": tries})
        result = _hand_off(ctx.render(config.no_email_text), online=False)
    if email:
        result.set_contact["email"] = email
    return result


def _offline(config: Config, ctx: NodeContext) -> NodeResult:
    known = templating.as_text(templating.lookup(ctx.data, "contact.email")).strip()
    if config.ask_email and not known:
        reply = Reply.message(ctx.render(config.offline_message))
        return NodeResult(replies=[reply], wait_for_input=True, next=None, node_state={"tries": 0})
    return _hand_off(ctx.render(config.confirmation if known else config.offline_message), online=False)


def _hand_off(text: str, *, online: bool) -> NodeResult:
    return NodeResult(
        replies=[Reply.message(text)] if text.strip() else [],
        effect=Handoff(reason="asked" if online else "offline"),
        events=[AnalyticsEvent("handoff", {"agents_online": online})],
        next=None,
    )


def _with_email(data: Mapping, email: str) -> Mapping:
    contact = data.get("contact")
    return {**data, "contact": {**(contact if isinstance(contact, Mapping) else {}), "email": email}}
