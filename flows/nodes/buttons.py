"""Buttons (quick replies): ask a question with up to ten buttons; each button leads somewhere of its own.

A button's payload is ``<node id>/<button id>``, so the engine can send a click on an older message back to
this node. A shopper may also type a button's title (any case) or its number (1 for the first button).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

from flows.nodes.base import MAX_TEXT, AnalyticsEvent, Button, NodeContext, NodeResult, Reply

LABEL = "Buttons"
CATEGORY = "message"
ICON = "buttons"
GROUP = "questions"  # it asks the shopper, so the palette lists it with questions
PORTS_FROM = "buttons"  # each item's id names an exit (see ports())
SLUG = r"^[a-z0-9][a-z0-9_-]{0,39}$"


def payload(node_id: str, choice_id: str) -> str:
    return f"{node_id}/{choice_id}"


def chosen(ctx: NodeContext, options: Sequence[tuple[str, str]]) -> str | None:
    """The id of the (id, title) option the shopper picked by button, title or number; None if none."""
    incoming = ctx.incoming
    if incoming is None:
        return None
    ids = [option_id for option_id, _ in options]
    if incoming.kind == "postback":
        node_id, _, choice = incoming.payload.partition("/")
        return choice if node_id == ctx.node_id and choice in ids else None
    typed = " ".join(incoming.text.split()).casefold()
    for option_id, title in options:
        if typed == " ".join(title.split()).casefold():
            return option_id
    if typed.isdigit() and 1 <= int(typed) <= len(ids):
        return ids[int(typed) - 1]
    return None


def unique(values: Sequence[str], what: str) -> None:
    seen = set()
    for value in values:
        key = value.strip().casefold()
        if key in seen:
            raise ValueError(f"Two {what} are the same: {value!r}.")
        seen.add(key)


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(
        pattern=SLUG,
        title="Button id",
        description="Names the exit this button leads to: lowercase letters, digits, - and _.",
    )
    title: str = Field(min_length=1, max_length=40, title="Button text", description="What the button says.")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1, max_length=MAX_TEXT, title="Question", description="The message shown above the buttons."
    )
    buttons: list[Choice] = Field(
        min_length=1, max_length=10, title="Buttons", description="1 to 10 buttons; each has its own exit."
    )

    @field_validator("buttons")
    @classmethod
    def _distinct(cls, buttons: list[Choice]) -> list[Choice]:
        unique([button.id for button in buttons], "button ids")
        unique([button.title for button in buttons], "button texts")
        return buttons


def ports(config: Config) -> list[str]:
    return [button.id for button in config.buttons]


def waits_for_shopper(config: Config) -> bool:
    return True


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.incoming is None:
        buttons = [Button(b.title, payload(ctx.node_id, b.id)) for b in config.buttons]
        reply = Reply.message(ctx.render(config.text), buttons=buttons)
        return NodeResult(replies=[reply], wait_for_input=True, next=None)
    picked = chosen(ctx, [(b.id, b.title) for b in config.buttons])
    if picked is None:
        return NodeResult(unhandled=True, wait_for_input=True, next=None)
    title = next(b.title for b in config.buttons if b.id == picked)
    return NodeResult(next=picked, events=[AnalyticsEvent("button_clicked", {"button": picked, "title": title})])
