"""Analytics benchmark: the overview and a funnel over 1,000,000 events of one store among many.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shopbot_bench_analytics REDIS_URL=redis://127.0.0.1:6379/5 \\
      .venv/bin/python bench/analytics_bench.py [--events 1000000] [--stores 50] [--other-events 1000000]

It creates its own throw-away database (``test_`` + the name in DATABASE_URL) and drops it afterwards.
One store gets EVENTS events over the last 90 days (about 80,000 conversations through the assistant flow
of ``tests/flowkit.py``: starts, page views, node entries on every branch, buttons, goals, fallbacks,
handoffs with agent replies and resolutions, ratings; 40,000 returning shoppers); STORES - 1 other stores
share OTHER_EVENTS more. Events are written with COPY (the insert path is not what is measured). Then, for
the last 30 days and for all 90:

- the overview straight from the raw events (``use_rollups=False``) and from the daily rollups;
- the assistant flow's funnel, both ways;
- the floor, in the same run: one indexed count of the period's ``conversation_started`` events, the least
  any report of the period costs;
- the rollup itself: all 90 days once (what the beat task spreads over the days), and today's re-roll (what
  a dashboard view pays at most once a minute to show today live).
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shopbot_bench_analytics")

import django  # noqa: E402

django.setup()

from django.db import connection as db  # noqa: E402
from django.utils import timezone  # noqa: E402

DAYS = 90
QUESTIONS = ["do you ship to canada", "can i pay with bitcoin", "is there a store in berlin", "gift wrapping?",
             "what is your return policy for sale items", "do you have a student discount"]  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def timed(fn, runs: int, before=None) -> list[float]:
    out = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def line(label: str, values: list[float]) -> str:
    return (f"{label:<44} {len(values):>3} runs  p50 {statistics.median(values):>9.1f} ms  "
            f"p99 {percentile(values, 99):>9.1f} ms")  # fmt: skip


class Writer:
    """Events as COPY rows: store, name, conversation, contact, flow, version, node, data, created_at."""

    def __init__(self):
        self.buffer, self.count, self.pending = io.StringIO(), 0, 0

    def add(self, store_id, name, when, conversation, contact, flow="\\N", version="\\N", node="", data=None):
        payload = json.dumps(data or {}).replace("\\", "\\\\")
        self.buffer.write(f"{store_id}\t{name}\t{conversation}\t{contact}\t{flow}\t{version}\t{node}\t{payload}\t"
                          f"{when.isoformat()}\n")  # fmt: skip
        self.count += 1
        self.pending += 1
        if self.pending >= 200_000:
            self.flush()

    def flush(self):
        from analytics.models import Event

        self.buffer.seek(0)
        with db.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {Event._meta.db_table} (store_id, name, conversation_id, contact_id, flow_id, "
                "flow_version_id, node_id, data, created_at) FROM STDIN", self.buffer,
            )  # fmt: skip
        self.buffer, self.pending = io.StringIO(), 0


def conversation(w: Writer, rng, store_id, cid, contact, t0, flow, version):
    """One chat through the assistant flow; about 12 events."""
    at = [t0]

    def ev(name, node="", seconds=8, **data):
        at[0] += timedelta(seconds=rng.randint(1, seconds))
        w.add(store_id, name, at[0], cid, contact, flow if node else "\\N", version if node else "\\N", node, data)

    ev("conversation_started", channel="web")
    ev("page_view", url="https://shop.example/")
    ev("node_entered", "welcome", type="send_message")
    ev("node_entered", "menu", type="buttons")
    if rng.random() < 0.2:
        ev("fallback", "menu", text=rng.choice(QUESTIONS))
    if rng.random() < 0.15:
        return  # left at the menu
    branch = rng.choices(["track", "sizes", "human"], [4, 4, 2])[0]
    ev("button_clicked", "menu", button=branch, title=branch)
    path = {"track": ["ask_email", "ask_order", "confirm", "bye"],
            "sizes": ["ask_height", "check", rng.choice(["tall", "regular"]), "bye"], "human": ["human"]}[branch]
    for node in path:
        ev("node_entered", node, seconds=30, type="x")
        if node == "human":
            ev("handoff", node, agents_online=1)
            ev("first_agent_reply", seconds=600, agent_id=1)
            ev("resolve", seconds=3600, agent_id=1)
        if rng.random() < 0.1:
            break
    if rng.random() < 0.3:
        ev("product_clicked", product_id=str(rng.randint(1, 500)))
    if rng.random() < 0.1:
        ev("added_to_cart", product_id=str(rng.randint(1, 500)), variant_id="1")
    if rng.random() < 0.3:
        ev("rating", rating=rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 6])[0], source="bot")


def load(stores, target_events: int, other_events: int, flow, version, rng) -> None:
    now = timezone.now()
    start = now - timedelta(days=DAYS)
    cid = 0
    for store, budget in [(stores[0], target_events), *[(s, other_events // (len(stores) - 1)) for s in stores[1:]]]:
        w = Writer()
        while w.count < budget:
            cid += 1
            t0 = start + timedelta(seconds=rng.uniform(0, DAYS * 86400 - 7200))
            is_target = store is stores[0]
            conversation(w, rng, store.pk, cid, rng.randint(1, 40_000) + store.pk * 1_000_000, t0,
                         flow.pk if is_target else "\\N", version.pk if is_target else "\\N")
        w.flush()
    with db.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(events: int, store_count: int, other_events: int, keep: bool = False) -> None:
    from analytics.funnels import funnel
    from analytics.models import Event, RolledDay
    from analytics.overview import overview
    from analytics.periods import Period, local_today, store_zone
    from analytics.rollups import ensure_rolled, rollup_day
    from flows import services as flow_services
    from tenants import services
    from tenants.models import User
    from tests.flowkit import assistant_graph

    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(13)
        owner = User.objects.create_user("bench@example.com", "x" * 20)
        stores = [services.create_store(owner, name=f"S{i}", slug=f"s{i}") for i in range(store_count)]
        store = stores[0]
        flow = flow_services.create_flow(store, name="Assistant", graph=assistant_graph())
        version = flow_services.publish_flow(flow)
        flow.refresh_from_db()
        started = time.perf_counter()
        load(stores, events, other_events, flow, version, rng)
        total = Event.objects.count()
        mine = Event.objects.filter(store=store).count()
        print(f"events: {mine:,} for the measured store, {total:,} in {store_count} stores, written in "
              f"{time.perf_counter() - started:.1f}s; database: {db.vendor} ({db.settings_dict['NAME']})")  # fmt: skip

        today = local_today(store)
        zone = store_zone(store)
        periods = {"30 days": Period(today - timedelta(days=29), today, zone),
                   "90 days": Period(today - timedelta(days=DAYS), today, zone)}  # fmt: skip
        rolled_ms = timed(lambda: ensure_rolled(store, periods["90 days"]), 1)[0]
        with db.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after the rollups' first inserts
        print(f"rollup of all {DAYS + 1} days once (then ANALYZE): {rolled_ms / 1000:.1f}s "
              f"({rolled_ms / (DAYS + 1):.0f} ms a day)")  # fmt: skip
        reroll_ms = timed(lambda: rollup_day(store, today), 5)
        print(line("re-roll of today (dashboard, once a minute)", reroll_ms))

        for label, period in periods.items():
            floor = timed(lambda p=period: Event.objects.filter(
                store=store, name="conversation_started", created_at__gte=p.start, created_at__lt=p.end).count(), 20)
            raw = timed(lambda p=period: overview(store, p, use_rollups=False), 3)
            fast = timed(lambda p=period: overview(store, p), 20)
            raw_funnel = timed(lambda p=period: funnel(store, flow, p, use_rollups=False), 5)
            fast_funnel = timed(lambda p=period: funnel(store, flow, p, use_rollups=True), 20)

            def expire_today():
                RolledDay.objects.filter(store=store, day=today).update(rolled_at=timezone.now() - timedelta(hours=1))

            live = timed(lambda p=period: overview(store, p), 5, before=expire_today)
            report = overview(store, period)
            print(f"-- {label}: {report['conversations']:,} conversations, {report['shoppers']:,} unique shoppers")
            print(line("floor: count of the period's conversations", floor))
            print(line("overview from raw events", raw))
            print(line("overview from rollups", fast))
            print(line("overview from rollups, today re-rolled live", live))
            print(line("funnel from raw events", raw_funnel))
            print(line("funnel from rollups", fast_funnel))
            floor_p50 = statistics.median(floor)
            ratios = [statistics.median(v) / floor_p50 for v in (fast, raw, fast_funnel, raw_funnel)]
            print("ratio to the floor: overview {:.1f}x from rollups, {:.1f}x from raw events; "
                  "funnel {:.1f}x from rollups, {:.1f}x from raw events".format(*ratios))
    finally:
        if keep:
            print(f"kept the database {db.settings_dict['NAME']} (drop it yourself)")
        else:
            db.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--other-events", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards, to look at query plans")
    args = parser.parse_args()
    main(args.events, args.stores, args.other_events, args.keep)
