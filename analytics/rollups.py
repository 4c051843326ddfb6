"""Daily rollups: the event log turned into per-day sets (``DailyFact``), one store-local day at a time.

``facts_between`` reads the raw events of a time span and says which facts they make; ``rollup_day``
replaces one day's facts with a fresh computation (so re-running it is safe, and a late event is picked up
by rolling its day again); ``ensure_rolled`` makes a period's days current before a report reads them:
finished days are rolled once, today (and a day that was rolled before it ended) is rolled again when its
facts are more than ``LIVE_TTL`` old, so the dashboard shows today live.

Facts (metric, key, flow, subject, value):
  conversation   one per conversation started that day (``conversation_started``)
  shopper        one per contact with any event that day
  handed         a conversation handed to a person (``handoff`` by the bot, ``takeover`` by an agent)
  fallback       a conversation in which the bot did not understand a message
  rating         key = the rating (1-5), value = the rating
  goal           key = the goal event's name (``GOALS``)
  node           key = node id, flow = flow id, value = the last ``node_entered`` event id that day
  first_response value = seconds from the handoff (or the start) to the first agent reply
  resolution     value = seconds from the handoff (or the start) to the conversation being resolved
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from analytics.models import DailyFact, Event, RolledDay
from analytics.periods import Period, day_bounds, local_day, local_today, store_zone
from tenants.models import Store

logger = logging.getLogger(__name__)

GOALS = ("product_clicked", "added_to_cart", "order_status_answered", "lead_captured", "discount_shown")
HANDED = ("handoff", "takeover")
LIVE_TTL = timedelta(seconds=60)  # today's facts are recomputed when older than this
LATE_GRACE = timedelta(minutes=5)  # a day rolled this long after it ended is complete (until a late event)

# Events that make a fact on their own: name -> (metric, key).
_SIMPLE = {
    "conversation_started": ("conversation", ""),
    "handoff": ("handed", ""),
    "takeover": ("handed", ""),
    "fallback": ("fallback", ""),
    **{goal: ("goal", goal) for goal in GOALS},
}
_TIMED = {"first_agent_reply": "first_response", "resolve": "resolution"}
_ANCHORS = (*HANDED, "conversation_started")


@dataclass(frozen=True)
class Fact:
    day: date
    metric: str
    key: str = ""
    flow_id: int = 0
    subject: int = 0
    value: float | None = None

    @property
    def identity(self) -> tuple:
        return (self.day, self.metric, self.key, self.flow_id, self.subject)


def facts_between(store: Store, start: datetime, end: datetime) -> list[Fact]:
    """The facts the store's events in [start, end) make, each on the store-local day it happened."""
    zone = store_zone(store)
    facts: dict[tuple, Fact] = {}
    timed: list[tuple[date, str, int, datetime]] = []

    def add(fact: Fact, keep=None):
        old = facts.get(fact.identity)
        facts[fact.identity] = fact if old is None or keep is None else keep(old, fact)

    rows = (
        Event.objects.filter(store=store, created_at__gte=start, created_at__lt=end)
        .order_by("id")
        .values_list("id", "name", "conversation_id", "contact_id", "flow_id", "node_id", "created_at", "data__rating")
    )
    for event_id, name, conversation, contact, flow, node, at, rating in rows.iterator(chunk_size=5000):
        day = local_day(zone, at)
        if contact is not None:
            add(Fact(day, "shopper", subject=contact))
        if conversation is None:
            continue
        if name in _SIMPLE:
            metric, key = _SIMPLE[name]
            add(Fact(day, metric, key, subject=conversation))
        elif name == "node_entered" and flow and node:
            add(Fact(day, "node", node, flow, conversation, float(event_id)), keep=lambda old, new: new)
        elif name == "rating" and isinstance(rating, int) and 1 <= rating <= 5:
            add(Fact(day, "rating", str(rating), subject=conversation, value=float(rating)))
        elif name in _TIMED:
            timed.append((day, _TIMED[name], conversation, at))
    for fact in _timed_facts(store, timed, end):
        add(fact, keep=lambda old, new: old)  # the first resolution of the day counts
    return list(facts.values())


def _timed_facts(store: Store, timed: list, end: datetime) -> list[Fact]:
    """Seconds from when the team got each conversation (its first handoff, else its start) to the event."""
    if not timed:
        return []
    anchors: dict[int, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    rows = Event.objects.filter(
        store=store, conversation_id__in={c for _, _, c, _ in timed}, name__in=_ANCHORS, created_at__lt=end
    ).values_list("conversation_id", "name", "created_at")
    for conversation, name, at in rows:
        anchors[conversation]["started" if name == "conversation_started" else "handed"].append(at)
    out = []
    for day, metric, conversation, at in timed:
        handed = [t for t in anchors[conversation]["handed"] if t <= at]
        since = min(handed) if handed else min(anchors[conversation]["started"], default=None)
        if since is not None and since <= at:
            out.append(Fact(day, metric, subject=conversation, value=(at - since).total_seconds()))
    return out


def rollup_day(store: Store, day: date) -> int:
    """Replace the store's facts for one local day with a fresh computation; returns how many facts."""
    zone = store_zone(store)
    start, end = day_bounds(zone, day)
    rolled_at = timezone.now()
    facts = [f for f in facts_between(store, start, end) if f.day == day]
    with transaction.atomic():
        # One roller per day at a time: a second one waits here, then writes its own (as fresh) result.
        marker, _ = RolledDay.objects.select_for_update().get_or_create(
            store=store, day=day, defaults={"rolled_at": rolled_at}
        )
        DailyFact.objects.filter(store=store, day=day).delete()
        _insert_facts(store, day, facts)
        marker.rolled_at = rolled_at
        marker.conversations = sum(f.metric == "conversation" for f in facts)
        marker.shoppers = sum(f.metric == "shopper" for f in facts)
        marker.save(update_fields=["rolled_at", "conversations", "shoppers"])
    return len(facts)


_INSERT_FACTS = (
    f"INSERT INTO {DailyFact._meta.db_table} (store_id, day, metric, key, flow_id, subject, value) VALUES %s"  # noqa: S608
)


def _insert_facts(store: Store, day: date, facts: list[Fact]) -> None:
    rows = [(store.pk, day, f.metric, f.key[:80], f.flow_id, f.subject, f.value) for f in facts]
    if connection.vendor != "postgresql":  # the demo's SQLite
        DailyFact.objects.bulk_create(
            DailyFact(store_id=s, day=d, metric=m, key=k, flow_id=fl, subject=sub, value=v)
            for s, d, m, k, fl, sub, v in rows
        )
        return
    from psycopg2.extras import execute_values

    # A busy day has tens of thousands of facts: one multi-row INSERT is ten times faster than the ORM's.
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, _INSERT_FACTS, rows, page_size=5000)


def is_complete(zone, day: date, rolled_at: datetime) -> bool:
    return rolled_at >= day_bounds(zone, day)[1] + LATE_GRACE


def stale_days(store: Store, period: Period, now: datetime | None = None) -> list[date]:
    """The period's days (up to today) whose facts are missing, or are of an unfinished day and too old."""
    now = now or timezone.now()
    today = local_today(store, now)
    days = [d for d in period.days if d <= today]
    rolled = dict(RolledDay.objects.filter(store=store, day__in=days).values_list("day", "rolled_at"))
    zone = store_zone(store)
    return [
        d for d in days
        if d not in rolled or (not is_complete(zone, d, rolled[d]) and rolled[d] < now - LIVE_TTL)
    ]  # fmt: skip


def ensure_rolled(store: Store, period: Period) -> int:
    """Roll the period's stale days. Days without a single event are only marked. Returns days rolled."""
    stale = stale_days(store, period)
    if not stale:
        return 0
    zone = store_zone(store)
    first, last = min(stale), max(stale)
    busy = set(
        Event.objects.filter(store=store, created_at__gte=day_bounds(zone, first)[0],
                             created_at__lt=day_bounds(zone, last)[1])
        .annotate(day=TruncDate("created_at", tzinfo=zone)).values_list("day", flat=True).distinct()
    )  # fmt: skip
    now = timezone.now()
    quiet = [d for d in stale if d not in busy]
    DailyFact.objects.filter(store=store, day__in=quiet).delete()  # their events may have been erased
    for day in quiet:
        RolledDay.objects.update_or_create(
            store=store, day=day, defaults={"rolled_at": now, "conversations": 0, "shoppers": 0}
        )
    for day in stale:
        if day in busy:
            rollup_day(store, day)
    return len(stale)


CURSOR = "events"
CURSOR_BATCH = 500_000  # events read per beat run (ids and times only); a backlog is worked off over the next runs


def plan_rollups(now: datetime | None = None) -> tuple[dict[int, set[date]], int]:
    """What the beat task should roll: per store, the days with events it has not read yet (late ones
    included), and rolled days that were not finished when rolled. Returns the plan and the new cursor."""
    from analytics.models import RollupCursor

    now = now or timezone.now()
    cursor, _ = RollupCursor.objects.get_or_create(name=CURSOR)
    fresh = list(
        Event.objects.filter(id__gt=cursor.last_event_id).order_by("id")
        .values_list("id", "store_id", "created_at")[:CURSOR_BATCH]
    )  # fmt: skip
    stores = {s for _, s, _ in fresh}
    recent = list(RolledDay.objects.filter(day__gte=(now - timedelta(days=2)).date()).values_list("store_id", "day",
                                                                                                "rolled_at"))
    stores |= {s for s, _, _ in recent}
    zones = {pk: ZoneInfo(tz or "UTC") for pk, tz in Store.objects.filter(pk__in=stores).values_list("pk", "timezone")}
    plan: dict[int, set[date]] = defaultdict(set)
    for _, store_id, at in fresh:
        if store_id in zones:
            plan[store_id].add(local_day(zones[store_id], at))
    for store_id, day, rolled_at in recent:
        if store_id in zones and not is_complete(zones[store_id], day, rolled_at):
            plan[store_id].add(day)
    return plan, fresh[-1][0] if fresh else cursor.last_event_id


def advance_cursor(last_event_id: int) -> None:
    from analytics.models import RollupCursor

    RollupCursor.objects.filter(name=CURSOR, last_event_id__lt=last_event_id).update(last_event_id=last_event_id)
