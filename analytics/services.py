"""The one writer of analytics events."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from analytics.models import Event
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
    """Privacy erasure: remove the events that name these contacts."""
    deleted, _ = Event.objects.filter(store=store, contact_id__in=list(contact_ids)).delete()
    return deleted


def move_contact_events(store: Store, from_contact_id: int, to_contact_id: int) -> int:
    """When two contacts turn out to be one shopper, their events become one history."""
    return Event.objects.filter(store=store, contact_id=from_contact_id).update(contact_id=to_contact_id)
