"""Collect input: ask a question, check the answer, save it; re-ask with a hint, give up after ``max_tries``.

Kinds: text, email (stored lowercased), phone (digits with an optional leading +), number (int when whole,
else float; "12,5" reads as 12.5) and choice (shown as buttons; stores the chosen text). The tries so far are
kept in ``node_state["tries"]``. After the last failed try the node leaves by ``failed`` without a reply:
connect that exit to a node that says what happens next.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flows.nodes.base import MAX_TEXT, Button, NodeContext, NodeResult, Reply
from flows.nodes.buttons import chosen, payload, unique
from flows.nodes.set_variable import TARGET_HELP, assign, check_target
from flows.templating import as_text

LABEL = "Collect input"
CATEGORY = "input"
ICON = "input"
DOMAIN_PART = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"  # one part of a domain name
EMAIL = re.compile(rf"[a-z0-9._%+'-]{{1,64}}@(?:{DOMAIN_PART}\.)+[a-z]{{2,24}}")
NUMBER = re.compile(r"[+-]?\d{1,15}(?:[.,]\d{1,10})?")
HINTS = {
    "email": "That doesn't look like an email address. Could you check it? (like name@example.com)",
    "phone": "That doesn't look like a phone number. Could you type it with the country code, like +1 555 123 4567?",
    "number": "Could you type a number?",
    "choice": "Please pick one of the options.",
}


def parse_email(text: str) -> str | None:
    email = text.strip().lower()
    ok = len(email) <= 254 and EMAIL.fullmatch(email) and ".." not in email and not email.startswith(".")
    return email if ok else None


def parse_phone(text: str) -> str | None:
    phone = re.sub(r"[\s().-]", "", text)
    return phone if re.fullmatch(r"\+?\d{7,15}", phone) else None


def parse_number(text: str) -> int | float | None:
    text = text.strip()
    if not NUMBER.fullmatch(text):
        return None
    number = Decimal(text.replace(",", "."))
    return int(number) if number == number.to_integral_value() else float(number)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(min_length=1, max_length=MAX_TEXT, title="Question", description="What the bot asks.")
    kind: Literal["text", "email", "phone", "number", "choice"] = Field(
        "text", title="Answer type", description="What kind of answer to accept."
    )
    choices: list[str] = Field(
        default_factory=list, max_length=10, title="Choices", description="For a choice: 2 to 10 options, as buttons."
    )
    save_to: str = Field(max_length=80, title="Save to", description=TARGET_HELP)
    retry_text: str = Field(
        "", max_length=1000, title="Hint when the answer is not valid", description="Empty: a hint that fits the type."
    )
    max_tries: int = Field(3, ge=1, le=10, title="Tries", description="How many answers to accept before giving up.")
    min: float | None = Field(None, title="Smallest number", description="For a number: the lowest allowed.")
    max: float | None = Field(None, title="Largest number", description="For a number: the highest allowed.")
    max_length: int = Field(500, ge=1, le=MAX_TEXT, title="Longest answer", description="For text: in characters.")

    @field_validator("save_to")
    @classmethod
    def _known_target(cls, target: str) -> str:
        return check_target(target)

    @field_validator("choices")
    @classmethod
    def _clean_choices(cls, choices: list[str]) -> list[str]:
        cleaned = [choice.strip() for choice in choices]
        if any(not choice or len(choice) > 40 for choice in cleaned):
            raise ValueError("Each choice is 1 to 40 characters.")
        unique(cleaned, "choices")
        return cleaned

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError("A choice needs at least 2 options.")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("The smallest number is larger than the largest.")
        return self


def ports(config: Config) -> list[str]:
    return ["default", "failed"]


def waits_for_shopper(config: Config) -> bool:
    return True


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.incoming is None:
        return _ask(config, ctx, ctx.render(config.prompt), tries=0)
    value = _parse(config, ctx)
    if value is None:
        tries = tries_so_far(ctx) + 1
        if tries >= config.max_tries:
            return NodeResult(next="failed")
        return _ask(config, ctx, ctx.render(config.retry_text) if config.retry_text else _hint(config), tries)
    result = NodeResult(next="default")
    assign(result, config.save_to, value)
    return result


def _ask(config: Config, ctx: NodeContext, text: str, tries: int) -> NodeResult:
    buttons = [Button(c, payload(ctx.node_id, str(i))) for i, c in enumerate(config.choices, 1)]
    reply = Reply.message(text, buttons=buttons if config.kind == "choice" else ())
    return NodeResult(replies=[reply], wait_for_input=True, next=None, node_state={"tries": tries})


def tries_so_far(ctx: NodeContext) -> int:
    """Failed answers so far, from the node state this node returned while waiting."""
    tries = ctx.node_state.get("tries", 0)
    return tries if isinstance(tries, int) and not isinstance(tries, bool) else 0


def _parse(config: Config, ctx: NodeContext) -> Any:
    """The answer as it should be saved, or None when it is not valid."""
    if config.kind == "choice":
        picked = chosen(ctx, [(str(i), c) for i, c in enumerate(config.choices, 1)])
        return None if picked is None else config.choices[int(picked) - 1]
    if ctx.incoming.kind != "message":
        return None
    text = ctx.incoming.text.strip()
    if config.kind == "email":
        return parse_email(text)
    if config.kind == "phone":
        return parse_phone(text)
    if config.kind == "number":
        number = parse_number(text)
        too_low = number is not None and config.min is not None and number < config.min
        too_high = number is not None and config.max is not None and number > config.max
        return None if too_low or too_high else number
    return text if 0 < len(text) <= config.max_length else None


def _hint(config: Config) -> str:
    if config.kind == "number" and (config.min is not None or config.max is not None):
        low, high = as_text(config.min), as_text(config.max)
        if low and high:
            return f"Could you type a number from {low} to {high}?"
        return f"Could you type a number of at least {low}?" if low else f"Could you type a number up to {high}?"
    if config.kind == "text":
        return f"Could you type your answer in at most {config.max_length} characters?"
    return HINTS[config.kind]
