"""Proactive triggers: what a widget event costs when the store has triggers and a campaign, and the sweep.

Each of N conversations sends nine page events (a page view from a newsletter link, scrolling, time-on-page
pings, a cart update, exit intent, a page event) through ``record_widget_event`` on PostgreSQL, in a store
with one trigger of every kind (13, on published flows) and a running campaign: each event is stored and,
where something listens, the proactive check runs (Celery eager, in process) with its row locks, caps and
cooldown, and the first match starts its flow. The floor is the same events in a store with no triggers or
campaigns, in the same run. Then the beat sweep fires N due cart-abandonment timers at once.

    .venv/bin/python bench/proactive_bench.py [--conversations 200]

Uses the local PostgreSQL (database ``shopbot_bench``, created and migrated when missing) and Redis db 14.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shopbot_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from engine_bench import describe, ensure_database  # noqa: E402  (the same database and figures)

CART = {"items": [{"product_id": "101", "variant_id": "1011", "quantity": 2, "price": "40.00"}], "total": "80.00"}
EVENTS = [
    ("page_view", {"url": "https://shop.example.com/products/linen-shirt?utm_source=newsletter", "title": "Shirt",
                   "referrer": "https://mail.example.com/"}),
    ("scroll", {"percent": 25}), ("scroll", {"percent": 50}), ("time_on_page", {"seconds": 5}),
    ("time_on_page", {"seconds": 10}), ("cart_updated", {"cart": CART}), ("time_on_page", {"seconds": 15}),
    ("exit_intent", {}), ("custom", {"event": "size_guide_opened"}),
]  # fmt: skip
TRIGGERS = [
    {"kind": "widget_opened", "audience": "returning"}, {"kind": "page_url", "match": "regex", "value": r"/sale/.*"},
    {"kind": "time_on_page", "seconds": 120}, {"kind": "scroll", "percent": 75}, {"kind": "exit_intent"},
    {"kind": "cart_value", "min": "500"}, {"kind": "checkout_page"}, {"kind": "cart_abandoned", "idle_minutes": 30},
    {"kind": "utm", "source": "instagram"}, {"kind": "referrer", "contains": "facebook.com"},
    {"kind": "custom_event", "event": "quiz_done"}, {"kind": "order_fulfilled"}, {"kind": "back_in_stock"},
]  # fmt: skip


def setup():
    import django

    ensure_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from conversations import campaigns
    from flows import services as flow_services
    from flows.triggers.services import set_flow_triggers
    from tenants import services as tenant_services
    from tenants.models import Store, User
    from tests.flowkit import graph, node

    Store.objects.filter(slug__in=["bench-proactive", "bench-quiet"]).delete()
    owner = User.objects.filter(email="bench@example.com").first() or User.objects.create_user(
        "bench@example.com", "bench-password-0123"
    )
    busy = tenant_services.create_store(owner, name="Proactive Boutique", slug="bench-proactive")
    quiet = tenant_services.create_store(owner, name="Quiet Boutique", slug="bench-quiet")
    for position, spec in enumerate(TRIGGERS):
        saying = graph([node("say", "send_message", text=f"Hello from {spec['kind']}")], [])
        flow = flow_services.create_flow(busy, name=f"Proactive {position}", graph=saying)
        flow_services.publish_flow(flow)
        set_flow_triggers(flow, [{**spec, "priority": position}])
    today = campaigns.store_today(busy, timezone.now())
    campaigns.create_campaign(busy, name="Sale", audience="returning", text="The sale is on", starts_on=today,
                              ends_on=today + timedelta(days=7))  # fmt: skip
    return busy, quiet


def run_events(store, conversations: int) -> list[float]:
    """Seconds per widget event, each stored and (where something listens) checked for proactive messages."""
    from conversations import services, sessions

    timings = []
    for _ in range(conversations):
        contact = services.get_or_create_contact(store)
        conversation = services.start_conversation(contact)
        for name, data in EVENTS:
            started = time.perf_counter()
            sessions.record_widget_event(store, conversation.pk, contact.pk, name, data)
            timings.append(time.perf_counter() - started)
    return timings


def run_sweep(store) -> tuple[float, int]:
    """Seconds for one sweep round that finds every cart timer of the store due."""
    from django.utils import timezone

    from conversations import proactive_sweep
    from conversations.models import CartTimer

    due = CartTimer.objects.filter(store=store).count()
    started = time.perf_counter()
    fired = proactive_sweep.sweep(timezone.now() + timedelta(minutes=31))["carts"]
    elapsed = time.perf_counter() - started
    each = elapsed / max(due, 1) * 1000
    print(f"sweep: {due:,} cart timers due, {fired:,} fired in {elapsed:.2f}s = {each:.2f} ms each")
    return elapsed, due


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    args = parser.parse_args()
    busy, quiet = setup()
    run_events(busy, 3)  # warm up caches and connections
    run_events(quiet, 3)
    checked = describe("events, 13 triggers + campaign", run_events(busy, args.conversations))
    floor = describe("events, nothing listening", run_events(quiet, args.conversations))
    print(f"ratio: an event with the proactive check costs {floor / checked:,.2f}x one without (the floor)")
    from analytics.models import Event

    fired = Event.objects.filter(store=busy, name__in=["trigger_fired", "campaign_shown"])
    print(f"proactive messages from events: {fired.count():,} for {args.conversations + 3:,} shoppers "
          f"({len(EVENTS)} events each; the cooldown holds the rest)")  # fmt: skip
    run_sweep(busy)


if __name__ == "__main__":
    main()
