"""Helpers for proactive-message tests: one-message flows with triggers, and widget events as the page sends them."""

from datetime import timedelta

from django.utils import timezone

from conversations import sessions
from conversations.models import Message, Sender
from flows.triggers.services import set_flow_triggers
from tests.conversations.conftest import publish
from tests.flowkit import graph, node


def flow_saying(store, text: str, *triggers, name: str | None = None):
    """A published one-message flow (never the store's default) with these trigger specs."""
    flow = publish(store, graph([node("say", "send_message", text=text)], []), name=name or text[:40])
    if flow.is_default:
        flow.is_default = False
        flow.save(update_fields=["is_default"])
    set_flow_triggers(flow, list(triggers))
    return flow


def page_event(shopper, name: str, data: dict | None = None):
    """The widget reports an event; on-commit work (the proactive check, eager Celery) runs."""
    conversation = shopper.conversation
    with shopper.on_commit(execute=True):
        sessions.record_widget_event(conversation.store, conversation.pk, conversation.contact_id, name, data or {})


def proactive_texts(shopper) -> list[tuple[str, str]]:
    rows = Message.objects.filter(conversation=shopper.conversation, sender=Sender.BOT).exclude(proactive="")
    return list(rows.order_by("id").values_list("text", "proactive"))


def later(minutes: float):
    return timezone.now() + timedelta(minutes=minutes)
