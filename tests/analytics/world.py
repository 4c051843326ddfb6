"""Seeded analytics events with known answers: a helper that writes events as the services do."""

from datetime import UTC, datetime, timedelta

from analytics.services import EventRecord, record_events


def at(text: str) -> datetime:
    """A UTC instant from "2026-03-10 14:00"."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Log:
    """Writes one store's events; conversation and contact ids are plain numbers chosen by the test."""

    def __init__(self, store):
        self.store = store

    def event(self, name, when, conversation=None, contact=None, *, flow=None, node="", **data):
        record_events(self.store, [EventRecord(name, data, conversation, contact, flow, None, node, when)])

    def chat(self, conversation, contact, when, *, flow=None, path=(), step=timedelta(seconds=10)):
        """A conversation started at ``when`` that entered ``path``'s nodes in ``flow``, one per step."""
        self.event("conversation_started", when, conversation, contact, channel="web")
        for i, node_id in enumerate(path, start=1):
            self.event("node_entered", when + i * step, conversation, contact, flow=flow, node=node_id, type="x")
        return when + len(path) * step


def records(store, rows) -> None:
    """Many events in one insert: rows of (name, when, conversation, contact, flow, node, data)."""
    record_events(store, [EventRecord(name, data, c, contact, flow, None, node, when)
                          for name, when, c, contact, flow, node, data in rows])
