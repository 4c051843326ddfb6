"""Build a NodeContext by hand for node unit tests; ``render`` is the real sandboxed templating."""

from datetime import UTC, datetime
from functools import partial
from types import ModuleType

import pytest
from pydantic import ValidationError

from flows.nodes.base import Incoming, NodeContext, NodeResult
from flows.templating import render

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def shopper_data(**overrides) -> dict:
    data = {
        "contact": {"name": "Ann", "email": "", "segment": "new", "attributes": {}},
        "vars": {},
        "store": {"name": "Alice's Apparel"},
    }
    return {**data, **overrides}


def context(
    node_id: str = "node1",
    *,
    data: dict | None = None,
    incoming: Incoming | None = None,
    node_state: dict | None = None,
    effect_result: dict | None = None,
    contact_key: str = "contact-1",
    agents_online: bool = False,
) -> NodeContext:
    data = shopper_data() if data is None else data
    return NodeContext(
        node_id=node_id,
        data=data,
        now=NOW,
        incoming=incoming,
        node_state=node_state or {},
        effect_result=effect_result,
        contact_key=contact_key,
        agents_online=agents_online,
        render=partial(render, data=data),
    )


def message(text: str) -> Incoming:
    return Incoming(kind="message", text=text)


def postback(payload: str) -> Incoming:
    return Incoming(kind="postback", payload=payload)


def run(module: ModuleType, config: dict, **ctx) -> NodeResult:
    """Validate ``config`` as the module's Config and run the node in a hand-built context."""
    return module.run(module.Config.model_validate(config), context(**ctx))


def texts(result: NodeResult) -> list[str]:
    return [reply.text for reply in result.replies]


def invalid(module: ModuleType, config: dict) -> str:
    """The validation error messages for a config that must be refused, with their locations."""
    with pytest.raises(ValidationError) as caught:
        module.Config.model_validate(config)
    return " | ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in caught.value.errors())
