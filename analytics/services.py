"""The one writer of analytics events."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from analytics.models import DailyFact, Event, RolledDay
from tenants.models import Store


@dataclass(frozen=True)
class EventRecord:
    name: str
    data: dict[str, Any] = field(default_factory=dict)
    conversation_id: int | None = None
    contact_id: int | None = None
    flow_id: int | None = None
    flow_version_id: int | None = None
    node_id: str = ""
    at: datetime | None = None


def record_events(store: Store, records: Iterable[EventRecord]) -> int:
    """Append events for one store in one insert; returns how many were stored."""
    now = timezone.now()
    rows = [
        Event(
            store=store, name=r.name, data=dict(r.data), conversation_id=r.conversation_id, contact_id=r.contact_id,
            flow_id=r.flow_id, flow_version_id=r.flow_version_id, node_id=r.node_id[:64], created_at=r.at or now,
        )
        for r in records
    ]  # fmt: skip
    Event.objects.bulk_create(rows)
    return len(rows)


def erase_contact_events(store: Store, contact_ids: Iterable[int]) -> int:
    """Privacy erasure: remove the events that name these contacts, and the rollup facts about them."""
    contact_ids = list(contact_ids)
    events = Event.objects.filter(store=store, contact_id__in=contact_ids)
    conversations = set(events.exclude(conversation_id=None).values_list("conversation_id", flat=True))
    facts = DailyFact.objects.filter(store=store, metric="shopper", subject__in=contact_ids) | DailyFact.objects.filter(
        store=store, subject__in=conversations
    ).exclude(metric="shopper")
    RolledDay.objects.filter(store=store, day__in=set(facts.values_list("day", flat=True))).delete()  # re-rolled
    facts.delete()
    deleted, _ = events.delete()
    return deleted


def move_contact_events(store: Store, from_contact_id: int, to_contact_id: int) -> int:
    """When two contacts turn out to be one shopper, their events become one history (and the days that
    counted them as two shoppers are rolled up again when next read)."""
    days = DailyFact.objects.filter(store=store, metric="shopper", subject=from_contact_id).values("day")
    RolledDay.objects.filter(store=store, day__in=days).delete()
    return Event.objects.filter(store=store, contact_id=from_contact_id).update(contact_id=to_contact_id)
