"""CSV exports of conversations, events and the reports.

Every text cell goes through ``csv_safe``: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``
or ``@`` (and some read a leading tab or carriage return the same way) as a formula, and shoppers type
what they like, so such a cell gets a leading apostrophe. Numbers are written as numbers.
Rows are streamed: an export of a year of events never sits in memory.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from analytics.experiments import experiments
from analytics.funnels import funnel
from analytics.models import Event
from analytics.overview import overview
from analytics.periods import Period
from analytics.revenue import revenue_report
from analytics.unanswered import unanswered
from conversations.models import Conversation
from flows.models import Flow
from tenants.models import Store

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPORTS = ("conversations", "events", "overview", "funnel", "experiments", "revenue", "unanswered")


def csv_safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in row])


def _local(period: Period, instant) -> str:
    return instant.astimezone(period.zone).isoformat() if instant else ""


def conversation_rows(store: Store, period: Period):
    rows = (
        Conversation.objects.filter(store=store, created_at__gte=period.start, created_at__lt=period.end)
        .select_related("contact", "assignee").order_by("id")
    )  # fmt: skip
    header = ["id", "started", "contact_id", "contact_name", "contact_email", "channel", "status", "held_by",
              "assignee", "rating", "rating_comment", "handed_off_at", "resolved_at", "last_message_at"]  # fmt: skip
    body = (
        [c.pk, _local(period, c.created_at), c.contact_id, c.contact.name, c.contact.email, c.channel, c.status,
         c.held_by, c.assignee.email if c.assignee else "", c.rating, c.rating_comment,
         _local(period, c.handed_off_at), _local(period, c.resolved_at), _local(period, c.last_message_at)]
        for c in rows.iterator(chunk_size=2000)
    )  # fmt: skip
    return header, body


def event_rows(store: Store, period: Period):
    rows = Event.objects.filter(store=store, created_at__gte=period.start, created_at__lt=period.end).order_by("id")
    header = ["id", "at", "name", "conversation_id", "contact_id", "flow_id", "flow_version_id", "node_id", "data"]
    body = (
        [e.pk, _local(period, e.created_at), e.name, e.conversation_id, e.contact_id, e.flow_id, e.flow_version_id,
         e.node_id, json.dumps(e.data, ensure_ascii=False, sort_keys=True)]
        for e in rows.iterator(chunk_size=5000)
    )  # fmt: skip
    return header, body


def overview_rows(store: Store, period: Period):
    report = overview(store, period)
    goals = {g["goal"]: g["conversations"] for g in report["goals"]}
    header = ["metric", "value"]
    summary = [
        ("conversations", report["conversations"]), ("unique_shoppers", report["shoppers"]),
        ("resolved_by_bot", report["resolved_by_bot"]), ("handed_to_person", report["handed_to_person"]),
        ("fallback_rate", report["fallback_rate"]), ("rating_average", report["satisfaction"]["average"]),
        *[(f"ratings_{k}", n) for k, n in report["satisfaction"]["distribution"].items()],
        ("first_response_median_seconds", report["agents"]["first_response_median_seconds"]),
        ("resolution_median_seconds", report["agents"]["resolution_median_seconds"]),
        *[(f"goal_{g}", n) for g, n in goals.items()],
    ]  # fmt: skip
    days = [(f"day_{d['day']}_conversations", d["conversations"]) for d in report["days"]]
    days += [(f"day_{d['day']}_shoppers", d["shoppers"]) for d in report["days"]]
    return header, [*summary, *days]


def funnel_rows(store: Store, period: Period, flow: Flow):
    report = funnel(store, flow, period)
    header = ["node_id", "type", "entered", "dropped", "finished", "drop_rate", "removed"]
    return header, ([n["node_id"], n["type"], n["entered"], n["dropped"], n["finished"], n["drop_rate"], n["removed"]]
                    for n in report["nodes"])  # fmt: skip


def experiment_rows(store: Store, period: Period, goal: str = "any"):
    report = experiments(store, period, goal=goal)
    header = ["flow", "node_id", "experiment", "variant", "name", "conversations", "conversions", "rate", "ci_low",
              "ci_high", "verdict"]  # fmt: skip
    body = (
        [e["flow"]["name"], e["node_id"], e["experiment"], v["variant"], v["name"], v["conversations"],
         v["conversions"], v["rate"], v["ci_low"], v["ci_high"], e["verdict"]]
        for e in report["experiments"] for v in e["variants"]
    )  # fmt: skip
    return header, body


def revenue_rows(store: Store, period: Period):
    report = revenue_report(store, period)
    header = ["flow_id", "flow", "conversations", "converted", "orders", f"revenue_{store.currency}", "conversion_rate"]
    rows = [["", "All chats", report["conversations"], report["converted"], report["orders"], report["revenue"],
             report["conversion_rate"]]]  # fmt: skip
    rows += [[f["flow_id"], f["name"], f["conversations"], f["converted"], f["orders"], f["revenue"],
              f["conversion_rate"]] for f in report["flows"]]  # fmt: skip
    return header, rows


def unanswered_rows(store: Store, period: Period):
    report = unanswered(store, period, limit=500)
    return ["count", "message", "other_phrasings"], (
        [g["count"], g["label"], " | ".join(g["questions"][1:])] for g in report["groups"]
    )
