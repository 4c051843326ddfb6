"""FAQ answer: answer the shopper's question from the store's FAQ entries.

The node asks ``prompt`` (or, when it is empty, just waits) and reads the next message with the store's
understanding service (``classify``): a question matching an FAQ entry gets that entry's answer and leaves by
``answered``; anything else leaves by ``none`` (say ``none_text`` first, or connect ``none`` to what should
happen, such as a product search or a person).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, NodeContext, NodeResult, Reply
from flows.nodes.set_variable import NAME

LABEL = "FAQ answer"
CATEGORY = "understanding"
ICON = "question"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(
        "What would you like to know?", max_length=MAX_TEXT, title="Question",
        description="Asked before the shopper types; empty: wait without asking.",
    )  # fmt: skip
    none_text: str = Field(
        "", max_length=MAX_TEXT, title="No answer", description="Said before leaving by 'none'; empty: say nothing."
    )
    save_text_to: str = Field(
        "question", max_length=50, pattern=f"^{NAME.pattern}$", title="Save the question to",
        description="A chat variable for what the shopper asked (read it as vars.<name>).",
    )  # fmt: skip


def ports(config: Config) -> list[str]:
    return ["answered", "none"]


def waits_for_shopper(config: Config) -> bool:
    return True


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.incoming is None:
        prompt = ctx.render(config.prompt) if config.prompt else ""
        return NodeResult(replies=[Reply.message(prompt)] if prompt.strip() else [], wait_for_input=True, next=None)
    text = ctx.incoming.text.strip()
    saved = {config.save_text_to: text[:500]}
    if ctx.incoming.kind == "message" and ctx.faq_answer:
        return NodeResult(replies=[Reply.message(ctx.render(ctx.faq_answer))], set_vars=saved, next="answered",
                          events=[AnalyticsEvent("faq_answered", {"text": text[:200]})])  # fmt: skip
    none = ctx.render(config.none_text) if config.none_text else ""
    return NodeResult(replies=[Reply.message(none)] if none.strip() else [], set_vars=saved, next="none")
