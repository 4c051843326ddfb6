"""End: close the flow, optionally with a last message and a 1-5 rating of the chat.

Rating buttons say ★ to ★★★★★ with payloads ``<node id>/1`` to ``<node id>/5``; typing a digit 1-5 works too.
A rating becomes a RecordRating effect (the service the inbox uses also stores its event). Any other answer
ends the flow unanswered, so the engine treats the text as a new question.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from flows.nodes.base import MAX_TEXT, Button, NodeContext, NodeResult, RecordRating, Reply
from flows.nodes.buttons import chosen, payload

LABEL = "End"
CATEGORY = "message"
ICON = "stop"
STARS = [(str(n), "★" * n) for n in range(1, 6)]


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field("", max_length=MAX_TEXT, title="Last message", description="Optional; may use {{ }}.")
    ask_rating: bool = Field(False, title="Ask for a rating", description="Ask the shopper to rate the chat 1 to 5.")
    rating_prompt: str = Field(
        "How would you rate this chat?", max_length=1000, title="Rating question", description="Shown with 5 buttons."
    )
    thanks_text: str = Field(
        "Thank you for your feedback!", max_length=1000, title="Thanks", description="Said after a rating."
    )


def ports(config: Config) -> list[str]:
    return []


def waits_for_shopper(config: Config) -> bool:
    return config.ask_rating


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.incoming is None:
        message = ctx.render(config.message) if config.message else ""
        replies = [Reply.message(message)] if message.strip() else []
        if not config.ask_rating:
            return NodeResult(replies=replies, next=None)
        buttons = [Button(stars, payload(ctx.node_id, n)) for n, stars in STARS]
        replies.append(Reply.message(ctx.render(config.rating_prompt), buttons=buttons))
        return NodeResult(replies=replies, wait_for_input=True, next=None)
    rating = chosen(ctx, STARS)
    if rating is None:
        return NodeResult(unhandled=True, next=None)
    thanks = ctx.render(config.thanks_text)
    return NodeResult(
        replies=[Reply.message(thanks)] if thanks.strip() else [], effect=RecordRating(rating=int(rating)), next=None
    )
