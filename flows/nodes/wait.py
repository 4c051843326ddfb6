"""Wait: pause the flow for a while (up to 30 days), then continue by ``default``.

The node returns a WaitUntil effect; the due time is stored and a beat sweep wakes the conversation, which
enters the node again with ``effect_result`` (``{"woke": True}``). Only ``effect_result`` matters here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.nodes.base import NodeContext, NodeResult, WaitUntil

LABEL = "Wait"
CATEGORY = "logic"
ICON = "clock"
MAX_WAIT = timedelta(days=30)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(1, ge=1, le=30 * 24 * 3600, title="Wait for", description="How many units to wait.")
    unit: Literal["seconds", "minutes", "hours", "days"] = Field("minutes", title="Unit", description="Of time.")

    @model_validator(mode="after")
    def _not_too_long(self) -> Config:
        if self.delta > MAX_WAIT:
            raise ValueError("A wait can be at most 30 days.")
        return self

    @property
    def delta(self) -> timedelta:
        return timedelta(**{self.unit: self.amount})


def run(config: Config, ctx: NodeContext) -> NodeResult:
    if ctx.effect_result is None:
        return NodeResult(effect=WaitUntil(due=ctx.now + config.delta), next=None)
    return NodeResult(next="default")
