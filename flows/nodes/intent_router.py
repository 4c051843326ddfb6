"""Intent router: free text to branches, one per group of intents, with optional quick-reply buttons.

The node says ``text`` with a button for each route that has a ``button`` title, and waits. A button (or its
title typed) takes its route. A typed message is read by the store's understanding service (``classify``): an
intent one of the routes lists takes that route; a question matching an FAQ entry is answered with that entry
and leaves by ``faq`` (when ``answer_faqs`` is on); anything below the store's confidence threshold leaves by
``none``. What the shopper typed is saved to ``vars.<save_text_to>``, so ``none`` can search for it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, Button, NodeContext, NodeResult, Reply
from flows.nodes.buttons import SLUG, chosen, payload, unique
from flows.nodes.set_variable import NAME

LABEL = "Intent router"
CATEGORY = "understanding"
ICON = "branch"
RESERVED = {"faq", "none"}
PORTS_FROM = "routes"  # each route's id names an exit (see ports()), then the fixed ones below
PORTS_AFTER = ("faq", "none")


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=SLUG, title="Route id", description="Names this route's exit.")
    intents: list[str] = Field(
        default_factory=list, max_length=20, title="Intents", description="Intent names that take this route."
    )
    button: str = Field("", max_length=40, title="Button", description="A quick-reply button for it; empty: none.")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        "", max_length=MAX_TEXT, title="Message", description="Said with the buttons; empty: wait for the shopper."
    )
    routes: list[Route] = Field(
        min_length=1, max_length=10, title="Routes", description="Each route has its own exit."
    )
    answer_faqs: bool = Field(
        True, title="Answer FAQs", description="A question matching an FAQ entry is answered, then leaves by 'faq'."
    )
    save_text_to: str = Field(
        "question", max_length=50, pattern=f"^{NAME.pattern}$", title="Save the message to",
        description="A chat variable for what the shopper typed (read it as vars.<name>).",
    )  # fmt: skip

    @field_validator("routes")
    @classmethod
    def _distinct(cls, routes: list[Route]) -> list[Route]:
        unique([r.id for r in routes], "route ids")
        unique([r.button for r in routes if r.button], "button titles")
        taken = [r.id for r in routes if r.id in RESERVED]
        if taken:
            raise ValueError(f"{taken[0]!r} is the name of a built-in exit; choose another route id.")
        seen: dict[str, str] = {}
        for route in routes:
            for intent in route.intents:
                if intent in seen and seen[intent] != route.id:
                    raise ValueError(f"The intent {intent!r} is in two routes.")
                seen[intent] = route.id
        return routes


def ports(config: Config) -> list[str]:
    return [route.id for route in config.routes] + list(PORTS_AFTER)


def waits_for_shopper(config: Config) -> bool:
    return True


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.incoming is None:
        buttons = [Button(r.button, payload(ctx.node_id, r.id)) for r in config.routes if r.button]
        text = ctx.render(config.text) if config.text else ""
        if not text.strip() and buttons:
            text = "Choose one:"
        replies = [Reply.message(text, buttons=buttons)] if text.strip() else []
        return NodeResult(replies=replies, wait_for_input=True, next=None)
    picked = chosen(ctx, [(r.id, r.button) for r in config.routes if r.button])
    if picked is not None:
        return NodeResult(next=picked, events=[AnalyticsEvent("button_clicked", {"button": picked})])
    text = ctx.incoming.text.strip()
    saved = {config.save_text_to: text[:500]}
    intent = str(ctx.data.get("intent") or "")
    route = next((r for r in config.routes if intent and intent in r.intents), None)
    if route is not None:
        event = AnalyticsEvent("intent_routed", {"intent": intent, "route": route.id})
        return NodeResult(next=route.id, set_vars=saved, events=[event])
    if config.answer_faqs and ctx.incoming.kind == "message" and ctx.faq_answer:
        return NodeResult(replies=[Reply.message(ctx.render(ctx.faq_answer))], set_vars=saved, next="faq",
                          events=[AnalyticsEvent("faq_answered", {"text": text[:200]})])  # fmt: skip
    unmatched = AnalyticsEvent("intent_routed", {"intent": "", "route": "none"})
    return NodeResult(next="none", set_vars=saved, events=[unmatched])
