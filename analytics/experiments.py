"""A/B results for every split node: conversions per variant, Wilson intervals, a z-test and a verdict.

The population is the conversations started in the period that passed the split (its ``variant`` event).
A conversation converts when, after the split, it reaches the chosen goal: any goal event (default), one
goal event by name, or ``order`` (an order attributed to the chat, see ``analytics.revenue``). The first
variant of the node is the control; every other variant is compared with it.
"""

from collections import defaultdict

from analytics.funnels import flow_graph
from analytics.models import Event
from analytics.periods import Period
from analytics.revenue import attribute_orders, chats_started
from analytics.rollups import GOALS
from analytics.stats import ALPHA, SMALLEST_LIFT, sample_size_per_group, two_proportion_z_test, wilson_interval
from flows.models import Flow
from tenants.models import Store

CONVERSION_GOALS = ("any", *GOALS, "order")


def experiments(store: Store, period: Period, *, goal: str = "any") -> dict:
    if goal not in CONVERSION_GOALS:
        raise ValueError(f"Choose the goal from: {', '.join(CONVERSION_GOALS)}.")
    started = Event.objects.filter(
        store=store, name="conversation_started", created_at__gte=period.start, created_at__lt=period.end
    ).values("conversation_id")
    splits: dict[tuple[int, str], dict[int, tuple[str, int, str]]] = defaultdict(dict)
    rows = Event.objects.filter(
        store=store, name="variant", created_at__gte=period.start, conversation_id__in=started
    ).order_by("id")
    for conversation, flow_id, node_id, experiment, variant, event_id in rows.values_list(
        "conversation_id", "flow_id", "node_id", "data__experiment", "data__variant", "id"
    ):
        splits[(flow_id or 0, node_id)].setdefault(conversation, (str(variant), event_id, str(experiment or "")))
    converted_at = _conversions(store, period, started, goal)
    flows = {f.pk: f for f in Flow.objects.filter(store=store, pk__in={k[0] for k in splits})
             .select_related("published_version")}  # fmt: skip
    results = [_split(flows.get(flow_id), node_id, seen, converted_at) for (flow_id, node_id), seen in splits.items()]
    results.sort(key=lambda r: (r["flow"]["name"], r["node_id"]))
    return {
        "period": period.as_dict(), "goal": goal, "experiments": results,
        "notice": "" if results else "No conversation went through an A/B split in this period.",
    }  # fmt: skip


def _conversions(store: Store, period: Period, started, goal: str) -> dict[int, float]:
    """When each conversation last reached the goal: an event id for goal events, inf for an order."""
    if goal == "order":
        chats = chats_started(store, period)
        attribute_orders(store, chats)
        return {c.conversation_id: float("inf") for c in chats.values() if c.orders}
    names = GOALS if goal == "any" else (goal,)
    last: dict[int, float] = {}
    rows = Event.objects.filter(store=store, name__in=names, created_at__gte=period.start, conversation_id__in=started)
    for conversation, event_id in rows.values_list("conversation_id", "id"):
        last[conversation] = max(last.get(conversation, event_id), event_id)
    return last


def _configured_variants(flow: Flow | None, node_id: str) -> list[tuple[str, str]]:
    """(id, name) of the split's variants as the flow has them now, so a variant with no traffic shows too."""
    if flow is None:
        return []
    node = next((n for n in flow_graph(flow).get("nodes", []) if n.get("id") == node_id), None)
    if node is None or node.get("type") != "ab_split":
        return []
    return [(str(v.get("id")), v.get("name") or str(v.get("id"))) for v in node.get("config", {}).get("variants", [])]


def _split(flow: Flow | None, node_id: str, seen: dict, converted_at: dict[int, float]) -> dict:
    variants = _configured_variants(flow, node_id)
    known = {v for v, _ in variants}
    variants += [(v, v) for v in sorted({s[0] for s in seen.values()} - known)]
    tally = {v: [0, 0] for v, _ in variants}  # variant -> [conversations, conversions]
    for conversation, (variant, at, _experiment) in seen.items():
        tally[variant][0] += 1
        tally[variant][1] += converted_at.get(conversation, -1) > at
    rows = []
    for variant_id, name in variants:
        n, x = tally[variant_id]
        interval = wilson_interval(x, n)
        rows.append({
            "variant": variant_id, "name": name, "conversations": n, "conversions": x,
            "rate": x / n if n else None, "ci_low": interval[0] if interval else None,
            "ci_high": interval[1] if interval else None,
        })  # fmt: skip
    comparisons = [compare(rows[0], other) for other in rows[1:]] if rows else []
    experiment = next((s[2] for s in seen.values() if s[2]), "")
    strongest = min(comparisons, key=lambda c: (c["p_value"] is None, c["p_value"] or 1), default=None)
    headline = strongest["verdict"] if strongest else ""
    return {
        "flow": {"id": flow.pk if flow else None, "name": flow.name if flow else "Deleted flow"},
        "node_id": node_id, "experiment": experiment, "variants": rows, "comparisons": comparisons,
        "verdict": headline,
    }  # fmt: skip


def compare(control: dict, other: dict) -> dict:
    """The z-test of ``other`` against ``control`` and what it means, in words."""
    n1, x1, n2, x2 = control["conversations"], control["conversions"], other["conversations"], other["conversions"]
    a, b = control["name"], other["name"]
    test = two_proportion_z_test(x1, n1, x2, n2)
    out = {"control": control["variant"], "variant": other["variant"], "z": test.z if test else None,
           "p_value": test.p_value if test else None}  # fmt: skip
    confidence = round((1 - ALPHA) * 100)
    if not n1 or not n2:
        empty = a if not n1 else b
        return {**out, "significant": False, "more_needed": None,
                "verdict": f"Not enough data yet: {empty} has no conversations."}  # fmt: skip
    if test is not None and test.p_value < ALPHA:
        better, worse = (b, a) if x2 / n2 > x1 / n1 else (a, b)
        return {**out, "significant": True, "more_needed": 0,
                "verdict": f"{better} converts better than {worse}, {confidence}% confidence."}  # fmt: skip
    p1, p2 = x1 / n1, x2 / n2
    if p1 == p2 and p1 == 0:
        return {**out, "significant": False, "more_needed": None,
                "verdict": "Not enough data yet: no conversation has converted."}  # fmt: skip
    if abs(p2 - p1) < SMALLEST_LIFT * p1 - 1e-12:  # too small a difference to wait for: plan for a 20% lift
        p2 = p1 * (1 + SMALLEST_LIFT) if p1 * (1 + SMALLEST_LIFT) <= 1 else p1 * (1 - SMALLEST_LIFT)
    need = sample_size_per_group(p1, p2) or 0
    more = max(0, need - n1) + max(0, need - n2)
    if more == 0:
        p = f" (p = {out['p_value']:.2f})" if out["p_value"] is not None else ""
        verdict = f"No clear winner: {a} and {b} convert alike{p}."
    else:
        verdict = f"Not enough data yet: about {more} more conversations needed."
    return {**out, "significant": False, "more_needed": more, "verdict": verdict}
