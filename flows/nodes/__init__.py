"""The node registry: node type name -> module. The only place that knows which node types exist.

Every module listed here has ``Config`` and ``run`` (see ``flows/nodes/base.py``); the optional hooks are
read through the functions below, never by checking a node's type elsewhere.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from flows.nodes.base import JumpTarget

# Order is the builder palette's order.
_MODULES = (
    "send_message",
    "buttons",
    "show_products",
    "product_search",
    "recommendations",
    "order_status",
    "checkout_link",
    "back_in_stock",
    "capture_lead",
    "collect_input",
    "intent_router",
    "faq_answer",
    "condition",
    "set_variable",
    "ab_split",
    "jump",
    "wait",
    "http_request",
    "handoff",
    "end",
)

NODE_TYPES: dict[str, ModuleType] = {name: importlib.import_module(f"flows.nodes.{name}") for name in _MODULES}


def node_module(node_type: str) -> ModuleType | None:
    return NODE_TYPES.get(node_type)


def ports(module: ModuleType, config) -> list[str]:
    hook = getattr(module, "ports", None)
    return list(hook(config)) if hook else ["default"]


def waits_for_shopper(module: ModuleType, config) -> bool:
    hook = getattr(module, "waits_for_shopper", None)
    return bool(hook(config)) if hook else False


def jump_targets(module: ModuleType, config) -> list[JumpTarget]:
    hook = getattr(module, "jump_targets", None)
    return list(hook(config)) if hook else []


def palette() -> list[dict]:
    """Each node type with its label, category and the JSON schema of its Config, for the builder."""
    return [
        {
            "type": name,
            "label": getattr(module, "LABEL", name.replace("_", " ").capitalize()),
            "category": getattr(module, "CATEGORY", "logic"),
            "schema": module.Config.model_json_schema(),
        }
        for name, module in NODE_TYPES.items()
    ]
