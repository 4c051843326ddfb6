"""What the dashboard pages and the REST API share: reading a report's query values and building CSVs.

Query values: ``from`` and ``to`` (store-local dates, inclusive; the last 30 days by default), ``goal``
(A/B conversions), ``flow`` (the funnel export) and ``report`` (which CSV). Bad values raise
``ReportError`` with a message for the person who sent them; a flow id goes through ``access_flow``, so
another store's flow is a 404 like a missing one.
"""

from collections.abc import Iterable, Mapping

from analytics import exports
from analytics.experiments import CONVERSION_GOALS
from analytics.periods import Period, PeriodError, parse_period
from flows.models import Flow
from flows.queries import access_flow
from tenants.models import Store


class ReportError(ValueError):
    pass


def period_from(store: Store, params: Mapping) -> Period:
    try:
        return parse_period(store, params.get("from") or None, params.get("to") or None)
    except PeriodError as exc:
        raise ReportError(str(exc)) from None


def goal_from(params: Mapping) -> str:
    goal = params.get("goal") or "any"
    if goal not in CONVERSION_GOALS:
        raise ReportError(f"“{goal}” is not a goal; choose one of: {', '.join(CONVERSION_GOALS)}.")
    return goal


def flow_from(store: Store, params: Mapping) -> Flow:
    flow_id = params.get("flow") or ""
    if not str(flow_id).isdigit():
        raise ReportError("Choose the flow: send flow=<the flow's id>.")
    return access_flow(store, int(flow_id))


_PLAIN = {
    "conversations": exports.conversation_rows, "events": exports.event_rows, "overview": exports.overview_rows,
    "revenue": exports.revenue_rows, "unanswered": exports.unanswered_rows,
}  # fmt: skip


def export(store: Store, params: Mapping) -> tuple[str, Iterable[str]]:
    """The file name and the CSV lines of the report named by ``report``."""
    report = params.get("report") or ""
    if report not in exports.REPORTS:
        raise ReportError(f"Choose the report: one of {', '.join(exports.REPORTS)}.")
    period = period_from(store, params)
    if report == "funnel":
        header, rows = exports.funnel_rows(store, period, flow_from(store, params))
    elif report == "experiments":
        header, rows = exports.experiment_rows(store, period, goal_from(params))
    else:
        header, rows = _PLAIN[report](store, period)
    name = f"{store.slug}-{report}-{period.first}-to-{period.last}.csv"
    return name, exports.csv_lines(header, rows)
