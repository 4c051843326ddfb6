"""Engine throughput: shopper events per second through a multi-step flow, with a bot turn's real database work.

Each event goes through ``post_shopper_message`` / ``post_shopper_postback`` on PostgreSQL: the shopper's
message is stored, the bot turn runs (Celery eager, in process), the conversation row is locked, the engine
runs, replies, contact changes and analytics events are stored, and the replies are broadcast on the Redis
channel layer after commit. The floor is the engine alone on the same events (no database), measured in
the same run, so the ratio says what the storage costs.

    .venv/bin/python bench/engine_bench.py [--conversations 200]

Uses the local PostgreSQL (database ``shopbot_bench``, created and migrated when missing) and Redis db 14.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shopbot_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

# The events one conversation sends: open (greeting), pick "Size advice", a wrong answer, the height, a rating.
SCRIPT = [("start", ""), ("postback", "menu/sizes"), ("message", "tall"), ("message", "185"), ("postback", "bye/5")]


def ensure_database() -> None:
    import psycopg2

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def setup():
    import django

    ensure_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from flows import services as flow_services
    from tenants import services as tenant_services
    from tenants.models import Store, User
    from tests.flowkit import assistant_graph

    Store.objects.filter(slug="bench").delete()
    owner = User.objects.filter(email="bench@example.com").first() or User.objects.create_user(
        "bench@example.com", "bench-password-0123"
    )
    store = tenant_services.create_store(owner, name="Bench Boutique", slug="bench")
    flow = flow_services.create_flow(store, name="Assistant", graph=assistant_graph())
    flow_services.publish_flow(flow)
    return store


def run_stored(store, conversations: int) -> list[float]:
    """Seconds per shopper event, each through the services and a bot turn."""
    from conversations import services

    timings = []
    for n in range(conversations):
        contact = services.get_or_create_contact(store)
        conversation = None
        for step, (kind, value) in enumerate(SCRIPT):
            started = time.perf_counter()
            if kind == "start":
                conversation = services.start_conversation(contact)
            elif kind == "postback":
                services.post_shopper_postback(conversation, payload=value, client_id=f"{n}-{step}")
            else:
                services.post_shopper_message(conversation, text=value, client_id=f"{n}-{step}")
            timings.append(time.perf_counter() - started)
    return timings


def run_engine_only(store, conversations: int) -> list[float]:
    """The floor: the same events through the engine alone, state kept in memory."""
    from flows import engine
    from flows.engine import EngineContext, EngineEvent
    from flows.queries import load_default

    flow = load_default(store)
    data = {"contact": {"name": "", "email": ""}, "store": {"name": store.name, "bot_name": store.bot_name}}
    timings = []
    for n in range(conversations):
        state = None
        ctx = EngineContext(data=data, now=datetime.now(UTC), contact_key=f"visitor-{n}")
        for kind, value in SCRIPT:
            text, payload = (value, "") if kind == "message" else ("", value)
            event = EngineEvent(kind, text=text, payload=payload)
            started = time.perf_counter()
            state = engine.run(flow, state, event, ctx).state
            timings.append(time.perf_counter() - started)
    return timings


def describe(name: str, timings: list[float]) -> float:
    ordered = sorted(timings)
    rate = len(timings) / sum(timings)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{name:<28} {len(timings):>6} events  {rate:>9,.0f} events/s  "
        f"median {statistics.median(timings) * 1000:7.3f} ms  p99 {p99 * 1000:7.3f} ms"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    args = parser.parse_args()
    store = setup()
    run_stored(store, 5)  # warm up caches and connections
    run_engine_only(store, 5)
    stored = describe("bot turns (PostgreSQL)", run_stored(store, args.conversations))
    floor = describe("engine alone (floor)", run_engine_only(store, args.conversations))
    print(f"ratio: engine alone is {floor / stored:,.1f}x the stored rate ({len(SCRIPT)} events per conversation)")

    from analytics.models import Event
    from conversations.models import Message

    print(f"stored: {Message.objects.filter(store=store).count():,} messages, "
          f"{Event.objects.filter(store=store).count():,} analytics events")  # fmt: skip


if __name__ == "__main__":
    main()
