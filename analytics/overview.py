"""The overview dashboard's numbers for a period: from the daily rollups (fast) or straight from the log.

Both paths make the same ``Tallies`` (distinct counts over the whole period, never sums of daily counts),
and ``_assemble`` turns them into the report, so the two cannot disagree on what a number means.
Outcomes (handed to a person, fallback, goals) are counted among the conversations *started* in the period.
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from analytics.models import DailyFact, RolledDay
from analytics.periods import Period
from analytics.rollups import GOALS, Fact, ensure_rolled, facts_between
from tenants.models import Store

OUTCOMES = ("handed", "fallback", "goal")
GOAL_LABELS = {
    "product_clicked": "Product clicked",
    "added_to_cart": "Added to cart",
    "order_status_answered": "Order status answered",
    "lead_captured": "Lead captured",
    "discount_shown": "Discount code shown",
}


@dataclass
class Tallies:
    per_day: dict[tuple[str, date], int] = field(default_factory=dict)  # (conversation|shopper, day) -> n
    distinct: dict[str, int] = field(default_factory=dict)  # conversation, shopper -> n over the period
    outcomes: dict[tuple[str, str], int] = field(default_factory=dict)  # (metric, key) -> started convs
    ratings: dict[int, int] = field(default_factory=dict)
    durations: dict[str, list[float]] = field(default_factory=dict)  # first_response, resolution -> seconds


def overview(store: Store, period: Period, *, use_rollups: bool = True) -> dict:
    tallies = _from_rollups(store, period) if use_rollups else _from_events(store, period)
    return _assemble(store, period, tallies)


def _from_rollups(store: Store, period: Period) -> Tallies:
    ensure_rolled(store, period)
    facts = DailyFact.objects.filter(store=store, day__gte=period.first, day__lte=period.last)
    t = Tallies()
    days = RolledDay.objects.filter(store=store, day__gte=period.first, day__lte=period.last)
    for day, conversations, shoppers in days.values_list("day", "conversations", "shoppers"):
        t.per_day.update({("conversation", day): conversations, ("shopper", day): shoppers})
    shoppers = facts.filter(metric="shopper").aggregate(n=Count("subject", distinct=True))["n"]
    # A conversation starts once: the days' counts add up (shoppers, who come back, never do).
    t.distinct = {"conversation": sum(n for (m, _), n in t.per_day.items() if m == "conversation"), "shopper": shoppers}
    started = facts.filter(metric="conversation").values("subject")
    outcomes = facts.filter(metric__in=OUTCOMES, subject__in=started).values("metric", "key")
    t.outcomes = {(r["metric"], r["key"]): r["n"] for r in outcomes.annotate(n=Count("subject", distinct=True))}
    ratings = facts.filter(metric="rating").values("key").annotate(n=Count("id"))
    t.ratings = {int(r["key"]): r["n"] for r in ratings}
    t.durations = defaultdict(list)
    for metric, value in facts.filter(metric__in=("first_response", "resolution")).values_list("metric", "value"):
        t.durations[metric].append(value)
    return t


def _from_events(store: Store, period: Period) -> Tallies:
    """The same tallies computed from the raw events (what the rollups save; the benchmark compares them)."""
    return tallies_of_facts(facts_between(store, period.start, period.end))


def tallies_of_facts(facts: list[Fact]) -> Tallies:
    t = Tallies()
    sets: dict[str, set] = defaultdict(set)
    per_day: dict[tuple[str, date], set] = defaultdict(set)
    outcome_sets: dict[tuple[str, str], set] = defaultdict(set)
    t.durations = defaultdict(list)
    ratings: Counter = Counter()
    for f in facts:
        if f.metric in ("conversation", "shopper"):
            sets[f.metric].add(f.subject)
            per_day[(f.metric, f.day)].add(f.subject)
        elif f.metric in OUTCOMES:
            outcome_sets[(f.metric, f.key)].add(f.subject)
        elif f.metric == "rating":
            ratings[int(f.key)] += 1
        elif f.metric in ("first_response", "resolution"):
            t.durations[f.metric].append(f.value)
    started = sets["conversation"]
    t.distinct = {metric: len(s) for metric, s in sets.items()}
    t.per_day = {k: len(s) for k, s in per_day.items()}
    t.outcomes = {k: len(s & started) for k, s in outcome_sets.items() if s & started}
    t.ratings = dict(ratings)
    return t


def share(part: int, whole: int) -> float | None:
    """part / whole, or None (shown as "—") when there is nothing to divide by."""
    return part / whole if whole else None


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _assemble(store: Store, period: Period, t: Tallies) -> dict:
    conversations = t.distinct.get("conversation", 0)
    handed = t.outcomes.get(("handed", ""), 0)
    fallback = t.outcomes.get(("fallback", ""), 0)
    rated = sum(t.ratings.values())
    first_response, resolution = t.durations.get("first_response", []), t.durations.get("resolution", [])
    report = {
        "period": period.as_dict(),
        "currency": store.currency,
        "days": [
            {"day": d.isoformat(), "conversations": t.per_day.get(("conversation", d), 0),
             "shoppers": t.per_day.get(("shopper", d), 0)}
            for d in period.days
        ],
        "conversations": conversations,
        "shoppers": t.distinct.get("shopper", 0),
        "resolved_by_bot": conversations - handed,
        "handed_to_person": handed,
        "handed_rate": share(handed, conversations),
        "fallback_conversations": fallback,
        "fallback_rate": share(fallback, conversations),
        "satisfaction": {
            "ratings": rated,
            "average": share(sum(k * n for k, n in t.ratings.items()), rated),
            "distribution": {str(k): t.ratings.get(k, 0) for k in range(1, 6)},
        },
        "agents": {
            "first_response_median_seconds": _median(first_response), "first_responses": len(first_response),
            "resolution_median_seconds": _median(resolution), "resolutions": len(resolution),
        },
        "goals": [
            {"goal": g, "label": GOAL_LABELS[g], "conversations": t.outcomes.get(("goal", g), 0),
             "rate": share(t.outcomes.get(("goal", g), 0), conversations)}
            for g in GOALS
        ],
    }  # fmt: skip
    report["notice"] = "" if conversations else "No conversations started in this period."
    return report
