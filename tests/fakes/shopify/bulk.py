"""Bulk operations in the fake: ``bulkOperationRunQuery`` runs the inner query over all rows at once and
serves the result as JSONL, nested connection nodes on their own lines after their parent with ``__parentId``.
"""

import json
import secrets

from graphql import execute, parse, validate
from graphql.error import GraphQLSyntaxError

from tests.fakes.shopify.schema import admin_schema


def run_bulk_query(shop, query: str) -> dict:
    try:
        document = parse(query)
    except GraphQLSyntaxError as exc:
        return {"bulkOperation": None, "userErrors": [{"field": ["query"], "message": str(exc)}]}
    errors = validate(admin_schema(), document)
    if errors:
        shop.fake.invalid_queries.extend(e.message for e in errors)
        return {"bulkOperation": None, "userErrors": [{"field": ["query"], "message": e.message} for e in errors]}
    if shop.bulk_current and shop.bulk_current["status"] == "RUNNING":
        message = "A bulk query operation for this app and shop is already in progress."
        return {"bulkOperation": None, "userErrors": [{"field": None, "message": message}]}
    shop.bulk_mode = True
    try:
        result = execute(admin_schema(), document, root_value=shop.root())
    finally:
        shop.bulk_mode = False
    number = shop.next_number()
    lines = [json.dumps(line) for line in _flatten(result.data or {})]
    operation = {
        "id": f"gid://shopify/BulkOperation/{number}", "status": "RUNNING", "polls": 0,
        "errorCode": shop.bulk_fail or ("INTERNAL_SERVER_ERROR" if result.errors else None), "objectCount": str(len(lines)), "lines": lines,
        "url": f"{shop.fake.url}/{shop.domain}/bulk/{number}-{secrets.token_hex(4)}.jsonl" if lines else None,
    }  # fmt: skip
    shop.bulk_current = operation
    shop.bulk_files[operation["url"]] = lines
    return {"bulkOperation": {"id": operation["id"], "status": "CREATED"}, "userErrors": []}


def current_bulk_operation(shop) -> dict | None:
    """RUNNING on the first poll, then COMPLETED (or FAILED when the shop is told to fail its bulk exports)."""
    operation = shop.bulk_current
    if operation is None:
        return None
    operation["polls"] += 1
    if operation["status"] == "RUNNING" and operation["polls"] > 1:
        operation["status"] = "FAILED" if operation["errorCode"] else "COMPLETED"
    done = operation["status"] == "COMPLETED"
    return {
        "id": operation["id"], "status": operation["status"], "errorCode": operation["errorCode"],
        "objectCount": operation["objectCount"], "url": operation["url"] if done else None,
    }  # fmt: skip


def _flatten(data: dict) -> list[dict]:
    lines = []
    for connection in data.values():
        for edge in (connection or {}).get("edges") or []:
            _emit(edge["node"], None, lines)
    return lines


def _emit(node: dict, parent_id: str | None, lines: list[dict]) -> None:
    own, children = {}, []
    for key, value in node.items():
        if isinstance(value, dict) and "edges" in value:
            children += [edge["node"] for edge in value["edges"] or []]
        else:
            own[key] = value
    if parent_id:
        own["__parentId"] = parent_id
    lines.append(own)
    for child in children:
        _emit(child, node.get("id"), lines)
