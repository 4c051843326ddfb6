"""Shopify's Admin schema for the fake, and its approximation of Shopify's calculated query cost."""

import gzip
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    build_client_schema,
    get_named_type,
    is_leaf_type,
    value_from_ast_untyped,
)

SCHEMA_PATH = Path(__file__).parent.parent / "data" / "shopify_admin_schema_2025-01.json.gz"
START = datetime(2026, 1, 1, tzinfo=UTC)
SINGLE_QUERY_LIMIT = 1000
MUTATION_COST = 10


@cache
def admin_schema():
    with gzip.open(SCHEMA_PATH) as f:
        schema = build_client_schema(json.load(f)["data"])
    schema._validation_errors = []  # graphql-core objects to one deprecation rule of the schema as a whole
    return schema


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- cost -----------------------------------------------------------------------------------------


def requested_cost(document, variables: dict) -> int:
    """Shopify's calculated cost, approximately: objects 1, scalars 0, connections 2 + first x node cost."""
    schema = admin_schema()
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    if operation.operation == OperationType.MUTATION:
        return MUTATION_COST
    return _cost(operation.selection_set, schema.query_type, variables, fragments)


def _argument(node: FieldNode, name: str, variables: dict):
    for argument in node.arguments or ():
        if argument.name.value == name:
            return value_from_ast_untyped(argument.value, variables)
    return None


def _cost(selection_set, parent, variables, fragments) -> int:
    schema, total = admin_schema(), 0
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, InlineFragmentNode):
            kind = schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
            total += _cost(selection.selection_set, kind, variables, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            kind = schema.get_type(fragment.type_condition.name.value)
            total += _cost(fragment.selection_set, kind, variables, fragments)
        elif isinstance(selection, FieldNode) and not selection.name.value.startswith("__"):
            named = get_named_type(parent.fields[selection.name.value].type)
            if is_leaf_type(named):
                continue
            child = _cost(selection.selection_set, named, variables, fragments)
            if named.name.endswith("Connection"):
                size = _argument(selection, "first", variables) or _argument(selection, "last", variables) or 0
                total += 2 + size * child
            elif selection.name.value in ("edges", "pageInfo"):
                total += child
            else:
                total += 1 + child
    return total
