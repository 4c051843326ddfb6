"""Condition: check values from the context and leave by ``true`` or ``false``.

Each rule reads ``value`` (a path such as ``contact.attributes.size`` or ``cart.total``) and compares it with
``operand`` (a template). Numbers compare as numbers when both sides are numbers; ``greater_than`` and
``less_than`` are false otherwise. ``equals`` compares text case-insensitively (true/yes/1 match a true flag).
``in_segment`` reads ``contact.segment``. ``matches`` is a regular expression searched in the first 1000
characters of the value, with a time limit (a pattern that runs too long does not match).
"""

from __future__ import annotations

from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows import templating
from flows.nodes.base import NodeContext, NodeResult

LABEL = "Condition"
MATCH_TIMEOUT = 0.05  # seconds
CATEGORY = "logic"
ICON = "branch"
SEGMENTS = ("new", "returning", "loyal", "high_value")
NO_OPERAND = ("is_set", "is_not_set")
Op = Literal[
    "equals", "not_equals", "contains", "greater_than", "less_than", "is_set", "is_not_set", "in_segment", "matches"
]
TRUE_WORDS = ("true", "yes", "1", "on")


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str = Field(
        "", max_length=200, title="Value", description="What to check, e.g. contact.attributes.size or cart.total."
    )
    op: Op = Field("equals", title="Comparison", description="How to compare.")
    operand: str = Field("", max_length=500, title="Compare with", description="Text, a number or {{ a value }}.")

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.op != "in_segment" and not templating.valid_path(self.value.strip()):
            raise ValueError(f"Choose a value to check, like contact.name (not {self.value!r}).")
        if self.op not in (*NO_OPERAND, "equals", "not_equals") and not self.operand.strip():
            raise ValueError("Say what to compare with.")
        if self.op == "in_segment" and "{{" not in self.operand and _segment(self.operand) not in SEGMENTS:
            raise ValueError(f"The segment is one of: {', '.join(SEGMENTS)}.")
        if self.op == "matches":
            _check_pattern(self.operand)
        return self


def _check_pattern(pattern: str) -> None:
    if len(pattern) > 200:
        raise ValueError("The pattern is longer than 200 characters.")
    if "{{" not in pattern:
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise ValueError(f"The pattern is not a valid regular expression: {exc}.") from None


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] = Field(min_length=1, max_length=20, title="Rules", description="What to check.")
    match: Literal["all", "any"] = Field("all", title="Match", description="All rules must hold, or any one.")


def ports(config: Config) -> list[str]:
    return ["true", "false"]


def run(config: Config, ctx: NodeContext) -> NodeResult:
    outcomes = (_holds(rule, ctx) for rule in config.rules)
    holds = all(outcomes) if config.match == "all" else any(outcomes)
    return NodeResult(next="true" if holds else "false")


def _holds(rule: Rule, ctx: NodeContext) -> bool:
    operand = ctx.render(rule.operand)
    if rule.op == "in_segment":
        return _segment(templating.lookup(ctx.data, "contact.segment")) == _segment(operand)
    value = templating.lookup(ctx.data, rule.value.strip())
    if rule.op in NO_OPERAND:
        is_set = value not in (None, "", [], {})
        return is_set if rule.op == "is_set" else not is_set
    if rule.op in ("equals", "not_equals"):
        return _equals(value, operand) == (rule.op == "equals")
    if rule.op == "contains":
        return _contains(value, operand)
    if rule.op == "matches":
        return _matches(value, operand)
    left, right = templating.as_number(value), templating.as_number(operand)
    if left is None or right is None:
        return False
    return left > right if rule.op == "greater_than" else left < right


def _segment(value: Any) -> str:
    return str(value).strip().casefold().replace(" ", "_").replace("-", "_") if isinstance(value, str) else ""


def _equals(value: Any, operand: str) -> bool:
    if isinstance(value, bool):
        return value == (operand.strip().casefold() in TRUE_WORDS)
    left, right = templating.as_number(value), templating.as_number(operand)
    if left is not None and right is not None:
        return left == right
    return templating.as_text(value).strip().casefold() == operand.strip().casefold()


def _contains(value: Any, operand: str) -> bool:
    if isinstance(value, list | tuple):
        return any(_equals(item, operand) for item in value)
    if isinstance(value, dict):
        return operand.strip() in value
    return operand.strip().casefold() in templating.as_text(value).casefold()


def _matches(value: Any, pattern: str) -> bool:
    if len(pattern) > 200:
        return False
    try:
        # A time limit: a pattern such as (a+)+$ must not tie up a worker (catastrophic backtracking).
        return regex.search(pattern, templating.as_text(value)[:1000], timeout=MATCH_TIMEOUT) is not None
    except (regex.error, TimeoutError):  # a pattern that does not compile, or runs too long, matches nothing
        return False
