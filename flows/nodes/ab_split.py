"""A/B split: send each contact down one variant, by weight, and always the same one (sticky per contact).

The pick is a SHA-256 hash of ``"<contact key>:<node id>"`` mapped onto the total weight, so it needs no
stored state, survives renaming the experiment and is independent between split nodes. Changing the weights
moves some contacts to another variant.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field, field_validator

from flows.nodes.base import AnalyticsEvent, NodeContext, NodeResult
from flows.nodes.buttons import SLUG, unique

LABEL = "A/B split"
CATEGORY = "logic"
ICON = "split"
PORTS_FROM = "variants"  # each item's id names an exit (see ports())


class Variant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=SLUG, title="Variant id", description="Names this variant's exit, e.g. a or short_text.")
    name: str = Field("", max_length=60, title="Name", description="How reports show this variant.")
    weight: int = Field(50, ge=0, le=100, title="Weight", description="Share of contacts, relative to the others.")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    experiment: str = Field(
        min_length=1, max_length=80, title="Experiment", description="The name reports group this test under."
    )
    variants: list[Variant] = Field(min_length=2, max_length=5, title="Variants", description="2 to 5 variants.")

    @field_validator("variants")
    @classmethod
    def _usable(cls, variants: list[Variant]) -> list[Variant]:
        unique([variant.id for variant in variants], "variant ids")
        if sum(variant.weight for variant in variants) <= 0:
            raise ValueError("At least one variant needs a weight above 0.")
        return variants


def ports(config: Config) -> list[str]:
    return [variant.id for variant in config.variants]


def pick(variants: list[Variant], key: str) -> Variant:
    """The variant for ``key``: a point in [0, total weight) from the hash, then the cumulative weights."""
    total = sum(variant.weight for variant in variants)
    digest = hashlib.sha256(key.encode()).digest()
    point = int.from_bytes(digest[:8], "big") * total >> 64  # uniform in [0, total)
    reached = 0
    for variant in variants:
        reached += variant.weight
        if point < reached:
            return variant
    return variants[-1]  # unreachable: point < total


def run(config: Config, ctx: NodeContext) -> NodeResult:
    variant = pick(config.variants, f"{ctx.contact_key}:{ctx.node_id}")
    event = AnalyticsEvent("variant", {"experiment": config.experiment, "variant": variant.id})
    return NodeResult(next=variant.id, events=[event])
