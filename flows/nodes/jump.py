"""Jump: continue at another node of this flow, or in another flow (at its start or at one of its nodes)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.nodes.base import JumpTarget, NodeContext, NodeResult

LABEL = "Jump"
CATEGORY = "logic"
ICON = "jump"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flow_id: int | None = Field(None, ge=1, title="Flow", description="Another flow to go to; empty: this flow.")
    node_id: str = Field(
        "", max_length=64, pattern=r"^[A-Za-z0-9_-]*$", title="Node", description="The node to go to; empty: the start."
    )

    @model_validator(mode="after")
    def _goes_somewhere(self) -> Config:
        if self.flow_id is None and not self.node_id:
            raise ValueError("Choose a flow or a node to jump to.")
        return self


def ports(config: Config) -> list[str]:
    return []


def jump_targets(config: Config) -> list[JumpTarget]:
    return [JumpTarget(flow_id=config.flow_id, node_id=config.node_id)]


def run(config: Config, ctx: NodeContext) -> NodeResult:
    return NodeResult(jump=JumpTarget(flow_id=config.flow_id, node_id=config.node_id), next=None)
