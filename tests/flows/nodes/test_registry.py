"""Every node type is complete: Config, run, its own test file, and a palette entry the builder can use."""

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from flows import nodes
from flows.nodes.base import NodeResult
from tests.flows.nodes.helpers import context

HERE = Path(__file__).parent


@pytest.mark.parametrize("name", list(nodes.NODE_TYPES))
def test_every_node_type_has_a_config_a_run_and_its_own_tests(name):
    module = nodes.NODE_TYPES[name]
    assert issubclass(module.Config, BaseModel)
    assert module.Config.model_config.get("extra") == "forbid"
    assert callable(module.run)
    assert (HERE / f"test_{name}.py").is_file(), f"tests/flows/nodes/test_{name}.py is missing"


@pytest.mark.parametrize("name", list(nodes.NODE_TYPES))
def test_every_config_field_is_described_for_the_builder(name):
    for field_name, field in nodes.NODE_TYPES[name].Config.model_fields.items():
        assert field.title and field.description, f"{name}.{field_name} needs a title and a description"


def test_the_palette_lists_every_type_with_a_json_schema():
    palette = nodes.palette()
    assert [entry["type"] for entry in palette] == list(nodes.NODE_TYPES)
    json.dumps(palette)
    for entry in palette:
        assert entry["label"] and entry["category"]
        assert entry["schema"]["type"] == "object"


def test_the_hooks_answer_for_every_type():
    examples = {
        "send_message": {"text": "Hi"},
        "buttons": {"text": "Pick", "buttons": [{"id": "a", "title": "A"}]},
        "collect_input": {"prompt": "Email?", "kind": "email", "save_to": "contact.email"},
        "condition": {"rules": [{"value": "vars.x", "op": "is_set"}]},
        "set_variable": {"add_tags": ["vip"]},
        "ab_split": {"experiment": "x", "variants": [{"id": "a", "weight": 1}, {"id": "b", "weight": 1}]},
        "jump": {"node_id": "start"},
        "wait": {"amount": 1, "unit": "hours"},
        "http_request": {"url": "https://api.example/x"},
        "handoff": {},
        "end": {},
        "show_products": {},
        "product_search": {},
        "recommendations": {},
        "order_status": {},
        "checkout_link": {},
        "back_in_stock": {},
        "capture_lead": {},
        "intent_router": {"routes": [{"id": "a", "intents": ["x"]}]},
        "faq_answer": {},
    }
    assert set(examples) == set(nodes.NODE_TYPES)
    for name, raw in examples.items():
        module = nodes.node_module(name)
        config = module.Config.model_validate(raw)
        assert all(isinstance(port, str) for port in nodes.ports(module, config))
        assert isinstance(nodes.waits_for_shopper(module, config), bool)
        assert isinstance(nodes.jump_targets(module, config), list)
        assert isinstance(module.run(config, context()), NodeResult)


def test_an_unknown_type_has_no_module():
    assert nodes.node_module("exec_python") is None
