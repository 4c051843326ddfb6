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


# The builder's palette groups, in order, and the group of each CATEGORY (a module may name its GROUP).
GROUPS = ("messages", "questions", "logic", "shop", "people", "integrations")
_GROUP_OF_CATEGORY = {
    "message": "messages", "input": "questions", "logic": "logic", "shop": "shop", "handoff": "people",
    "people": "people", "integration": "integrations", "understanding": "questions",
}  # fmt: skip


def _port_spec(module: ModuleType) -> list[str] | dict:
    """The builder's view of a type's exits: a fixed list, or ``{"from": field, "after": [...]}`` when each item
    of a list field (a button, a variant, a route) has its own exit named by the item's ``id``, followed by the
    type's fixed exits (``PORTS_AFTER``) if it has any."""
    if hasattr(module, "PORTS_FROM"):
        return {"from": module.PORTS_FROM, "after": list(getattr(module, "PORTS_AFTER", ()))}
    return ports(module, module.Config.model_construct())


def palette() -> list[dict]:
    """Each node type with its label, palette group, icon, exits and the JSON schema of its Config."""
    return [
        {
            "type": name,
            "label": getattr(module, "LABEL", name.replace("_", " ").capitalize()),
            "category": getattr(module, "CATEGORY", "logic"),
            "group": getattr(module, "GROUP", _GROUP_OF_CATEGORY.get(getattr(module, "CATEGORY", ""), "logic")),
            "icon": getattr(module, "ICON", "dot"),
            "description": (module.__doc__ or "").strip().split("\n\n")[0].replace("\n", " "),
            "ports": _port_spec(module),
            "can_wait": hasattr(module, "waits_for_shopper"),
            "schema": module.Config.model_json_schema(),
        }
        for name, module in NODE_TYPES.items()
    ]
