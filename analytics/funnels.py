"""Per-flow funnels: how many conversations entered each node, and how many stopped there.

A conversation's path through a flow is its ``node_entered`` events in that flow. It *entered* every node
on the path (counted once, however often it looped back) and *stopped* at the node it entered last. A stop
at a node with no way on (no outgoing edge: an end, a handoff, a last message) is finishing the flow; a stop
anywhere else is dropping off there. Branches need nothing special: each conversation has exactly one last
node, so the drop-offs of all nodes add up to the conversations that did not finish.
"""

from collections import deque

from django.db import connection

from analytics.models import DailyFact, Event
from analytics.periods import Period
from analytics.rollups import ensure_rolled
from flows import nodes as node_types
from flows.models import Flow
from tenants.models import Store

# Nodes the engine adds to every flow (not in the graph): the fallback's offer of a person hands off here.
BUILT_IN = {"@handoff": "handoff"}

_OUTER = """
WITH steps AS ({steps}),
     ends AS (SELECT c, MAX(last) AS final FROM steps GROUP BY c)
SELECT steps.n, COUNT(*), SUM(CASE WHEN steps.last = ends.final THEN 1 ELSE 0 END)
FROM steps JOIN ends ON steps.c = ends.c
GROUP BY steps.n
"""
_FROM_EVENTS = f"""
SELECT conversation_id AS c, node_id AS n, MAX(id) AS last FROM {Event._meta.db_table}
WHERE store_id = %s AND flow_id = %s AND name = 'node_entered' AND conversation_id IS NOT NULL
  AND created_at >= %s AND created_at < %s
GROUP BY conversation_id, node_id
"""  # noqa: S608  (table names from the models; every value is a parameter)
_FROM_ROLLUPS = f"""
SELECT subject AS c, key AS n, MAX(value) AS last FROM {DailyFact._meta.db_table}
WHERE store_id = %s AND flow_id = %s AND metric = 'node' AND day >= %s AND day <= %s
GROUP BY subject, key
"""  # noqa: S608


def _counts(store: Store, flow: Flow, period: Period, use_rollups: bool) -> dict[str, tuple[int, int]]:
    if use_rollups:
        ensure_rolled(store, period)
        bounds = [connection.ops.adapt_datefield_value(d) for d in (period.first, period.last)]
        sql = _FROM_ROLLUPS
    else:
        bounds = [connection.ops.adapt_datetimefield_value(t) for t in (period.start, period.end)]
        sql = _FROM_EVENTS
    params = [store.pk, flow.pk, *bounds]
    with connection.cursor() as cursor:
        cursor.execute(_OUTER.format(steps=sql), params)
        return {node: (int(entered), int(stopped)) for node, entered, stopped in cursor.fetchall()}


def flow_graph(flow: Flow) -> dict:
    """The graph the funnel is drawn on: the live version, or the draft of a flow never published."""
    return flow.published_version.graph if flow.published_version_id else flow.draft_graph


def _ordered(graph: dict) -> list[dict]:
    """The graph's nodes, breadth first from the start, then any unreachable ones."""
    by_id = {n["id"]: n for n in graph.get("nodes", [])}
    nexts: dict[str, list[str]] = {}
    for edge in graph.get("edges", []):
        nexts.setdefault(edge["from"], []).append(edge["to"])
    seen, queue, order = set(), deque([graph.get("start")]), []
    while queue:
        node_id = queue.popleft()
        if node_id in by_id and node_id not in seen:
            seen.add(node_id)
            order.append(by_id[node_id])
            queue.extend(nexts.get(node_id, []))
    return order + [n for n in graph.get("nodes", []) if n["id"] not in seen]


def _label(node_type: str) -> str:
    module = node_types.node_module(node_type)
    return getattr(module, "LABEL", node_type.replace("_", " ").capitalize()) if module else node_type


def funnel(store: Store, flow: Flow, period: Period, *, use_rollups: bool = False) -> dict:
    """The flow's funnel. Read from the log by default: a conversation's node entries are as many rows in the
    rollups as in the log, and the log's (store, flow, name, time) index answers as fast (bench/README.md),
    with today always current. ``use_rollups`` reads the daily ``node`` facts instead."""
    counts = _counts(store, flow, period, use_rollups)
    graph = flow_graph(flow)
    has_exit = {edge["from"] for edge in graph.get("edges", [])}
    rows = [(n["id"], n.get("type", ""), False) for n in _ordered(graph)]
    known = {node_id for node_id, _, _ in rows}
    rows += [(node_id, BUILT_IN.get(node_id, ""), node_id not in BUILT_IN) for node_id in sorted(counts)
             if node_id not in known]  # fmt: skip
    conversations = sum(stopped for _entered, stopped in counts.values())
    out = []
    for node_id, node_type, removed in rows:
        entered, stopped = counts.get(node_id, (0, 0))
        terminal = node_id in BUILT_IN or (not removed and node_id not in has_exit)
        dropped = 0 if terminal else stopped
        out.append({
            "node_id": node_id, "type": node_type, "label": _label(node_type) if node_type else "Removed node",
            "removed": removed, "terminal": terminal, "entered": entered, "dropped": dropped,
            "finished": stopped - dropped,
            "drop_rate": dropped / entered if entered else None,
            "reach_rate": entered / conversations if conversations else None,
        })  # fmt: skip
    return {
        "flow": {"id": flow.pk, "name": flow.name}, "period": period.as_dict(), "conversations": conversations,
        "finished": sum(r["finished"] for r in out), "dropped": sum(r["dropped"] for r in out), "nodes": out,
        "notice": "" if conversations else "No conversation went through this flow in this period.",
    }  # fmt: skip
