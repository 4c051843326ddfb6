"""Four weeks of chat history for the demo store, so its analytics pages have something to show.

The history is events only (marked ``"seeded": true``; re-seeding replaces them): about 300 chats through
the demo assistant flow, on every branch and both A/B variants, with goals, fallbacks, handoffs, ratings,
and chats a few days before some of the demo customers' orders so revenue attribution has orders to credit.
Its conversation ids are negative: no real conversation has one, and the history has no messages to open.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from analytics.models import DailyFact, Event, RolledDay
from analytics.services import EventRecord, record_events
from conversations.models import Contact
from flows.models import Flow
from integrations.models import Order
from tenants.models import Store

QUESTIONS = [
    "Do you ship to Canada?", "do you ship to canada", "Can I pay with PayPal?", "paypal accepted?",
    "Is there a store in Boston?", "Do you do gift wrapping?", "gift wrap?", "Are the jackets vegan?",
]  # fmt: skip
BRANCHES = {
    "sizes": ["ask_height", "tall", "size_l", "bye"], "shipping": ["policies", "shipping_info", "bye"],
    "discount": ["ask_email", "tag_lead", "code", "bye"], "new_in": ["new_in_cards", "bye"], "human": ["human"],
}


def _chat(rng, conversation: int, contact: int, start, flow) -> list[EventRecord]:
    at, out = [start], []

    def ev(name, node="", **data):
        at[0] += timedelta(seconds=rng.randint(3, 40))
        ids = (flow.pk, flow.published_version_id) if node else (None, None)
        out.append(EventRecord(name, {**data, "seeded": True}, conversation, contact, *ids, node, at[0]))

    ev("conversation_started", channel="web")
    variant = rng.choice(["friendly", "direct"])
    ev("node_entered", "split", type="ab_split")
    ev("variant", "split", experiment="Greeting tone", variant=variant)
    ev("node_entered", f"hello_{variant}", type="send_message")
    ev("node_entered", "menu", type="buttons")
    if rng.random() < 0.25:
        ev("fallback", "menu", text=rng.choice(QUESTIONS))
    if rng.random() < 0.2:
        return out  # left at the menu
    branch = rng.choices(list(BRANCHES), [3, 2, 3 if variant == "friendly" else 2, 3, 1])[0]
    for node in BRANCHES[branch]:
        ev("node_entered", node, type="x")
        if node == "code":
            ev("discount_shown", node, code="WELCOME10")
        elif node == "tag_lead":
            ev("lead_captured", node)
        elif node == "new_in_cards" and rng.random() < 0.6:
            ev("product_clicked", node, product_id=str(rng.randint(1, 40)))
            if rng.random() < 0.4:
                ev("added_to_cart", node, product_id=str(rng.randint(1, 40)), variant_id="1")
        elif node == "human":
            ev("handoff", node, agents_online=1)
            at[0] += timedelta(minutes=rng.randint(1, 15))
            ev("first_agent_reply", agent_id=None)
            at[0] += timedelta(minutes=rng.randint(5, 90))
            ev("resolve", agent_id=None)
        if rng.random() < 0.1:
            return out
    if rng.random() < 0.4:
        ev("rating", rating=rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 5, 7])[0], source="bot")
    return out


@transaction.atomic
def seed_demo_analytics(store: Store) -> str:
    flow = Flow.objects.filter(store=store, is_default=True).exclude(published_version=None).first()
    if flow is None:
        return ""
    rng = random.Random(13)  # noqa: S311 (the same demo history every time; nothing secret)
    Event.objects.filter(store=store, data__seeded=True).delete()
    DailyFact.objects.filter(store=store).delete()
    RolledDay.objects.filter(store=store).delete()
    now = timezone.now()
    records, conversation = [], 0
    contacts = [Contact.objects.get_or_create(store=store, visitor_id=f"demo-history-{i}")[0].pk for i in range(220)]
    for _ in range(300):
        conversation -= 1
        start = now - timedelta(days=28) + timedelta(seconds=rng.randint(0, 28 * 86400 - 7200))
        records += _chat(rng, conversation, rng.choice(contacts), start, flow)
    buyers = 0
    for order in Order.objects.filter(store=store, placed_at__gte=now - timedelta(days=27), cancelled_at=None)[:25]:
        if order.customer_id is None:
            continue
        contact, _ = Contact.objects.get_or_create(store=store, visitor_id=f"demo-buyer-{order.customer_id}",
                                                   defaults={"customer_id": order.customer_id})  # fmt: skip
        conversation -= 1
        records += _chat(rng, conversation, contact.pk, order.placed_at - timedelta(days=rng.randint(1, 5)), flow)
        buyers += 1
    record_events(store, records)
    return f"analytics: {len(records)} events of chat history over four weeks ({buyers} chats before an order)"
