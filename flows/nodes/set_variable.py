"""Set variable: store values in chat variables or on the contact, and add or remove tags.

A save target is ``vars.<name>`` (a chat variable, read back as ``{{ vars.<name> }}``), ``contact.name``,
``contact.email``, ``contact.phone`` or ``contact.attributes.<key>`` (kept on the contact across chats).
Values are templates rendered to text; every value is rendered against the context as the node was entered,
so one assignment does not see another's result.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flows.nodes.base import NodeContext, NodeResult

LABEL = "Set variable"
CATEGORY = "logic"
ICON = "variable"
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,49}")
CONTACT_FIELDS = ("name", "email", "phone")
TARGET_HELP = (
    'Where to save: "vars.<name>", "contact.name", "contact.email", "contact.phone" or "contact.attributes.<key>".'
)


def check_target(target: str) -> str:
    """A valid save target, or ValueError in words the builder can show."""
    target = target.strip()
    head, _, rest = target.partition(".")
    if head == "vars" and NAME.fullmatch(rest):
        return target
    if head == "contact" and (rest in CONTACT_FIELDS or _is_attribute(rest)):
        return target
    raise ValueError(f"{target!r} is not a place to save to. {TARGET_HELP}")


def _is_attribute(rest: str) -> bool:
    prefix, _, key = rest.partition(".")
    return prefix == "attributes" and NAME.fullmatch(key) is not None


def assign(result: NodeResult, target: str, value: Any) -> None:
    """Put ``value`` where a (valid) target says, as the engine expects it in ``set_vars``/``set_contact``."""
    head, _, rest = target.partition(".")
    if head == "vars":
        result.set_vars[rest] = value
    else:
        result.set_contact[rest] = value  # "name", "email", "phone" or "attributes.<key>"


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(max_length=80, title="Save to", description=TARGET_HELP)
    value: str = Field(
        "", max_length=1000, title="Value", description="Text to store; may use {{ }} to copy other values."
    )

    @field_validator("target")
    @classmethod
    def _known_target(cls, target: str) -> str:
        return check_target(target)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignments: list[Assignment] = Field(
        default_factory=list, max_length=20, title="Set", description="Values to store, in order."
    )
    add_tags: list[str] = Field(
        default_factory=list, max_length=20, title="Add tags", description="Tags to put on the contact."
    )
    remove_tags: list[str] = Field(
        default_factory=list, max_length=20, title="Remove tags", description="Tags to take off the contact."
    )

    @field_validator("add_tags", "remove_tags")
    @classmethod
    def _clean_tags(cls, tags: list[str]) -> list[str]:
        cleaned = [tag.strip() for tag in tags]
        if any(not tag or len(tag) > 50 or "," in tag for tag in cleaned):
            raise ValueError("Each tag is 1 to 50 characters, without commas.")
        return cleaned

    @model_validator(mode="after")
    def _does_something(self) -> Config:
        if not (self.assignments or self.add_tags or self.remove_tags):
            raise ValueError("Set a value or add or remove a tag.")
        return self


def run(config: Config, ctx: NodeContext) -> NodeResult:
    result = NodeResult(add_tags=list(config.add_tags), remove_tags=list(config.remove_tags))
    for assignment in config.assignments:
        assign(result, assignment.target, ctx.render(assignment.value))
    return result
