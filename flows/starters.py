"""Starter templates: the flows a store owner can begin from instead of a blank canvas."""

from flows.demo import assistant_graph
from flows.graph import empty_graph
from tenants.models import Store


def starter_templates(store: Store) -> list[dict]:
    """Each template as ``{key, name, description, graph}``; every graph is valid and publishable as is."""
    return [
        {
            "key": "shop_assistant",
            "name": "Shop assistant",
            "description": "Greets by name, helps pick a size, answers shipping and returns, offers a discount "
            "for an email, shows what's new and hands over to a person.",
            "graph": assistant_graph(),
        },
        {
            "key": "blank",
            "name": "Blank flow",
            "description": "A single personalized greeting to build on.",
            "graph": empty_graph(),
        },
    ]
