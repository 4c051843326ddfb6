"""Revenue attribution: synced orders placed by a chat's contact within the store's window after the chat.

A chat runs from its start to its last event; an order placed by the contact's customer from the start
until ``Store.attribution_window_days`` after the last event (both ends included) is credited to it. When
several of the contact's chats qualify, the latest one gets the order (last touch), so an order is counted
once. The chat passes the credit on to every flow it went through and every A/B variant it was shown.
Cancelled orders never count; orders in another currency than the store's are counted apart, not summed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Max

from analytics.models import Event
from analytics.periods import Period
from conversations.models import Contact
from flows.models import Flow
from integrations.queries import orders_of_customers
from tenants.models import Store


@dataclass
class Chat:
    conversation_id: int
    contact_id: int | None
    started: datetime
    last: datetime
    flows: set[int] = field(default_factory=set)
    orders: list = field(default_factory=list)

    @property
    def revenue(self) -> Decimal:
        return sum((o.total for o in self.orders), Decimal(0))


def chats_started(store: Store, period: Period) -> dict[int, Chat]:
    """The conversations started in the period, with when they last moved and the flows they went through."""
    started = Event.objects.filter(
        store=store, name="conversation_started", created_at__gte=period.start, created_at__lt=period.end
    ).exclude(conversation_id=None)
    chats = {
        c: Chat(c, contact, at, at)
        for c, contact, at in started.values_list("conversation_id", "contact_id", "created_at")
    }
    if not chats:
        return chats
    theirs = Event.objects.filter(
        store=store, created_at__gte=period.start, conversation_id__in=started.values("conversation_id")
    )
    for conversation, last in theirs.values("conversation_id").annotate(last=Max("created_at")).values_list(
        "conversation_id", "last"
    ):
        chats[conversation].last = max(chats[conversation].last, last)
    flows = theirs.filter(name="node_entered").exclude(flow_id=None).values_list("conversation_id", "flow_id")
    for conversation, flow_id in flows.distinct():
        chats[conversation].flows.add(flow_id)
    return chats


def attribute_orders(store: Store, chats: dict[int, Chat]) -> list:
    """Fill each chat's ``orders``; returns the orders in another currency (credited but not summed)."""
    by_contact: dict[int, list[Chat]] = defaultdict(list)
    for chat in chats.values():
        if chat.contact_id is not None:
            by_contact[chat.contact_id].append(chat)
    contacts = Contact.objects.filter(store=store, pk__in=list(by_contact)).exclude(
        customer=None, platform_customer_id=""
    )
    linked = list(contacts.values_list("pk", "customer_id", "platform_customer_id"))
    if not linked:
        return []
    window = timedelta(days=store.attribution_window_days)
    chats_of: dict[object, list[Chat]] = defaultdict(list)  # customer id, or ("platform", id) -> chats
    for contact_id, customer_id, platform_id in linked:
        for key in ([customer_id] if customer_id else []) + ([("platform", platform_id)] if platform_id else []):
            chats_of[key].extend(by_contact[contact_id])
    since = min(c.started for cs in chats_of.values() for c in cs)
    until = max(c.last for cs in chats_of.values() for c in cs) + window
    customer_ids = [k for k in chats_of if not isinstance(k, tuple)]
    platform_ids = [k[1] for k in chats_of if isinstance(k, tuple)]
    other_currency = []
    for order in orders_of_customers(store, customer_ids, platform_ids, since=since, until=until):
        candidates = {c.conversation_id: c for c in chats_of.get(order.customer_id, [])}
        candidates.update({c.conversation_id: c for c in chats_of.get(("platform", order.customer_platform_id), [])})
        fitting = [c for c in candidates.values() if c.started <= order.placed_at <= c.last + window]
        if not fitting:
            continue
        chat = max(fitting, key=lambda c: (c.started, c.conversation_id))
        if order.currency and order.currency != store.currency:
            other_currency.append(order)
        else:
            chat.orders.append(order)
    return other_currency


def revenue_report(store: Store, period: Period) -> dict:
    chats = chats_started(store, period)
    other_currency = attribute_orders(store, chats)
    names = dict(Flow.objects.filter(store=store, pk__in={f for c in chats.values() for f in c.flows})
                 .values_list("pk", "name"))  # fmt: skip
    per_flow: dict[int, list[Chat]] = defaultdict(list)
    for chat in chats.values():
        for flow_id in chat.flows:
            per_flow[flow_id].append(chat)
    flows = [
        {"flow_id": flow_id, "name": names.get(flow_id, "Deleted flow"), **_totals(flow_chats)}
        for flow_id, flow_chats in per_flow.items()
    ]
    flows.sort(key=lambda row: (-Decimal(row["revenue"]), row["name"]))
    return {
        "period": period.as_dict(), "currency": store.currency, "window_days": store.attribution_window_days,
        **_totals(list(chats.values())), "flows": flows,
        "other_currency_orders": [
            {"order": o.name, "total": str(o.total), "currency": o.currency} for o in other_currency
        ],
        "notice": "" if chats else "No conversations started in this period.",
    }  # fmt: skip


def _totals(chats: list[Chat]) -> dict:
    converted = [c for c in chats if c.orders]
    revenue = sum((c.revenue for c in chats), Decimal(0))
    return {
        "conversations": len(chats), "converted": len(converted), "orders": sum(len(c.orders) for c in chats),
        "revenue": str(revenue.quantize(Decimal("0.01"))),
        "conversion_rate": len(converted) / len(chats) if chats else None,
    }  # fmt: skip
