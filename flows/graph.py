"""A flow's graph (JSON) and its validation. A graph that passes here is safe for the engine to run.

    {"start": "hello",
     "nodes": [{"id": "hello", "type": "send_message", "config": {...}, "position": {"x": 0, "y": 0}}],
     "edges": [{"from": "hello", "port": "default", "to": "menu"}]}

Errors point at the node and the field, so the builder can show them where they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from flows import nodes, templating

NODE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_NODES = 300
MAX_GRAPH_BYTES = 512 * 1024


@dataclass(frozen=True)
class GraphError:
    message: str
    node: str | None = None
    field: str | None = None

    def as_dict(self) -> dict:
        return {"node": self.node, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Graph:
    """A validated graph: nodes by id with parsed configs, and each node's exits (port -> node id)."""

    start: str
    nodes: dict[str, dict]
    configs: dict[str, Any]
    exits: dict[str, dict[str, str]]
    flow_id: int | None = None  # the flow this graph belongs to: a jump to it by id stays in this graph

    def module(self, node_id: str):
        return nodes.node_module(self.nodes[node_id]["type"])


def empty_graph() -> dict:
    return {
        "start": "welcome",
        "nodes": [
            {
                "id": "welcome", "type": "send_message", "position": {"x": 0, "y": 0},
                "config": {"text": 'Hi {{ contact.name | default:"there" }}! How can I help you today?'},
            }
        ],
        "edges": [],
    }  # fmt: skip


def parse_graph(
    raw: Any, *, flow_exists: Callable[[int], bool] | None = None, flow_id: int | None = None
) -> tuple[Graph | None, list[GraphError]]:
    """Check a graph completely; returns the parsed graph, or None and every error found."""
    errors = shape_errors(raw)
    if errors:
        return None, errors
    node_list = raw["nodes"]
    by_id = {n["id"]: n for n in node_list}
    configs = {}
    for node in node_list:
        config, node_errors = _parse_node(node)
        errors += node_errors
        configs[node["id"]] = config
    if errors:
        return None, errors
    exits, edge_errors = _exits(raw, by_id, configs)
    errors += edge_errors
    errors += _jump_errors(by_id, configs, flow_exists, flow_id)
    if raw["start"] not in by_id:
        errors.append(GraphError("The start node does not exist.", field="start"))
    if errors:
        return None, errors
    graph = Graph(start=raw["start"], nodes=by_id, configs=configs, exits=exits, flow_id=flow_id)
    errors += _unreachable_errors(graph)
    errors += _loop_errors(graph)
    return (None, errors) if errors else (graph, [])


def shape_errors(raw: Any) -> list[GraphError]:
    """Problems that make a graph unusable even as a draft: not an object, too big, bad or repeated node ids."""
    if not isinstance(raw, dict):
        return [GraphError("A graph is an object with start, nodes and edges.")]
    if len(json.dumps(raw, default=str)) > MAX_GRAPH_BYTES:
        return [GraphError(f"The graph is larger than {MAX_GRAPH_BYTES // 1024} KB.")]
    errors = []
    if not isinstance(raw.get("start"), str):
        errors.append(GraphError("Choose the node the flow starts at.", field="start"))
    node_list, edges = raw.get("nodes"), raw.get("edges", [])
    if not isinstance(node_list, list) or not node_list:
        return [*errors, GraphError("A flow needs at least one node.", field="nodes")]
    if len(node_list) > MAX_NODES:
        errors.append(GraphError(f"A flow can have at most {MAX_NODES} nodes.", field="nodes"))
    if not isinstance(edges, list) or not all(isinstance(e, dict) for e in edges):
        errors.append(GraphError("Edges must be a list of {from, port, to} objects.", field="edges"))
    seen = set()
    for index, node in enumerate(node_list):
        node_id = node.get("id") if isinstance(node, dict) else None
        if not isinstance(node_id, str) or not NODE_ID.match(node_id):
            message = "Each node needs an id of letters, digits, - and _."
            errors.append(GraphError(message, field=f"nodes[{index}].id"))
        elif node_id in seen:
            errors.append(GraphError("Two nodes have this id.", node=node_id, field="id"))
        else:
            seen.add(node_id)
    return errors


def _parse_node(node: dict) -> tuple[Any, list[GraphError]]:
    node_id = node["id"]
    module = nodes.node_module(node.get("type", ""))
    if module is None:
        return None, [GraphError(f"Unknown node type {node.get('type')!r}.", node=node_id, field="type")]
    try:
        config = module.Config.model_validate(node.get("config") or {})
    except PydanticValidationError as exc:
        return None, [
            GraphError(_message(err), node=node_id, field=".".join(["config", *map(str, err["loc"])]))
            for err in exc.errors()
        ]
    return config, [
        GraphError(f"Template problem: {problem}", node=node_id, field=f"config.{path}")
        for path, text in _strings(node.get("config") or {})
        for problem in templating.template_errors(text)
    ]


def _message(error: dict) -> str:
    return error["msg"].removeprefix("Value error, ")


def _strings(value: Any, path: str = ""):
    """Every string inside a config, with its dotted path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def _exits(raw: dict, by_id: dict, configs: dict) -> tuple[dict[str, dict[str, str]], list[GraphError]]:
    exits: dict[str, dict[str, str]] = {node_id: {} for node_id in by_id}
    errors = []
    for index, edge in enumerate(raw.get("edges", [])):
        source, port, target = edge.get("from"), edge.get("port", "default"), edge.get("to")
        where = f"edges[{index}]"
        if source not in by_id:
            errors.append(GraphError("This edge leaves from a node that does not exist.", field=f"{where}.from"))
            continue
        module = nodes.node_module(by_id[source]["type"])
        if port not in nodes.ports(module, configs[source]):
            errors.append(GraphError(f"This node has no exit called {port!r}.", node=source, field=f"{where}.port"))
        elif target not in by_id:
            message = "This edge leads to a node that does not exist."
            errors.append(GraphError(message, node=source, field=f"{where}.to"))
        elif port in exits[source]:
            errors.append(GraphError(f"The exit {port!r} is connected twice.", node=source, field=f"{where}.port"))
        else:
            exits[source][port] = target
    return exits, errors


def _is_local(target, flow_id: int | None) -> bool:
    return target.flow_id is None or (flow_id is not None and target.flow_id == flow_id)


def _jump_errors(by_id: dict, configs: dict, flow_exists, flow_id: int | None) -> list[GraphError]:
    errors = []
    for node_id, node in by_id.items():
        for target in nodes.jump_targets(nodes.node_module(node["type"]), configs[node_id]):
            if _is_local(target, flow_id) and target.node_id and target.node_id not in by_id:
                message, field = "This jump leads to a node that does not exist.", "config.node_id"
            elif not _is_local(target, flow_id) and flow_exists is not None and not flow_exists(target.flow_id):
                message, field = "This jump leads to a flow that does not exist.", "config.flow_id"
            else:
                continue
            errors.append(GraphError(message, node=node_id, field=field))
    return errors


def successors(graph: Graph, node_id: str) -> list[str]:
    """Where a node can lead within this flow: its edges and its jumps to nodes of the same flow."""
    module = graph.module(node_id)
    targets = nodes.jump_targets(module, graph.configs[node_id])
    local_jumps = [t.node_id or graph.start for t in targets if _is_local(t, graph.flow_id)]
    return [*graph.exits[node_id].values(), *local_jumps]


def flows_jumped_to(raw: dict) -> set[int]:
    """The other flows a stored (valid) graph jumps to."""
    found = set()
    for node in raw.get("nodes", []):
        module = nodes.node_module(node.get("type", ""))
        if module is None:
            continue
        try:
            config = module.Config.model_validate(node.get("config") or {})
        except PydanticValidationError:  # a draft may hold a half-made node; it jumps nowhere yet
            continue
        found.update(t.flow_id for t in nodes.jump_targets(module, config) if t.flow_id is not None)
    return found


def _unreachable_errors(graph: Graph) -> list[GraphError]:
    seen, todo = {graph.start}, [graph.start]
    while todo:
        for nxt in successors(graph, todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return [
        GraphError("No path from the start reaches this node.", node=node_id)
        for node_id in graph.nodes
        if node_id not in seen
    ]


def _loop_errors(graph: Graph) -> list[GraphError]:
    """A cycle the bot could run round forever: one with no node that waits for the shopper."""
    waiting = {n for n in graph.nodes if nodes.waits_for_shopper(graph.module(n), graph.configs[n])}
    # Colour-marking depth-first search over the non-waiting part of the graph.
    colour: dict[str, int] = {}
    errors: list[GraphError] = []

    def visit(start: str) -> None:
        stack = [(start, iter(successors(graph, start)))]
        colour[start] = 1
        while stack:
            node_id, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node_id] = 2
                stack.pop()
            elif nxt in waiting:
                continue
            elif colour.get(nxt) == 1:
                errors.append(
                    GraphError("This loop never waits for the shopper, so the bot would talk forever.", node=nxt)
                )
            elif nxt not in colour:
                colour[nxt] = 1
                stack.append((nxt, iter(successors(graph, nxt))))

    for node_id in graph.nodes:
        if node_id not in waiting and node_id not in colour:
            visit(node_id)
    return errors
