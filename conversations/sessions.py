"""Widget sessions: what the shopper socket needs from the database, in as few calls as possible.

The consumer stays thin: it parses frames and calls these, each one short transaction.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from analytics.services import EventRecord, record_events
from conversations import proactive
from conversations.identity import IdentityInvalid, verify_customer_claim, visitor_id_from_token, visitor_token
from conversations.models import SHOPPER_VISIBLE, Contact, Conversation, Message, Status
from conversations.payloads import conversation_payload, message_payload
from conversations.services import (
    get_or_create_contact,
    identify_contact,
    set_contact_attributes,
    start_conversation,
)
from flows.triggers.base import utm_of
from tenants.models import Store

RECENT_MESSAGES = 50
MAX_CATCH_UP = 500
WIDGET_EVENTS = {
    "widget_opened", "page_view", "time_on_page", "scroll", "exit_intent", "cart_updated", "custom",
    "product_clicked", "added_to_cart",
}  # fmt: skip
MAX_EVENT_BYTES = 4096


@dataclass(frozen=True)
class WidgetSession:
    contact_id: int
    conversation_id: int
    visitor_token: str
    conversation: dict
    identity_error: str = ""
    record: Conversation | None = None  # the row, for posting messages without looking it up each time


def _page_context(page: Any, cart: Any, locale: Any, before: dict | None = None) -> dict:
    """What a hello or page view says about the page; ``before`` is the context so far (kept where not told)."""
    context = {}
    if isinstance(page, dict):
        fresh = {k: str(page.get(k, ""))[:500] for k in ("url", "title", "referrer") if page.get(k)}
        context["page"] = {**((before or {}).get("page") or {}), **fresh}
        utm = utm_of(fresh.get("url", ""))
        if utm:  # the campaign a visit came from stays with it while the shopper browses on
            context["utm"] = utm
    if isinstance(cart, dict):
        context["cart"] = _clean_json(cart, "cart")
    if isinstance(locale, str) and locale:
        context["locale"] = locale[:16]
    return context


def _clean_json(value: Any, what: str) -> Any:
    try:
        encoded = json.dumps(value, allow_nan=False)  # NaN and Infinity are not JSON (PostgreSQL refuses them)
    except (TypeError, ValueError):
        raise ValidationError(f"The {what} must be plain JSON.", code="bad_frame") from None
    if len(encoded) > MAX_EVENT_BYTES:
        raise ValidationError(f"The {what} is larger than {MAX_EVENT_BYTES} bytes.", code="too_large")
    return value


@transaction.atomic
def open_widget_session(store: Store, *, token=None, customer=None, page=None, cart=None, locale=None) -> WidgetSession:
    """Restore (or create) the visitor and their open conversation; verify a customer claim if one is sent.

    A wrong signature leaves the shopper anonymous and reports ``identity_error``; it never links.
    """
    contact = get_or_create_contact(store, visitor_id=visitor_id_from_token(store, token))
    identity_error = ""
    try:
        claim = verify_customer_claim(store, customer)
    except IdentityInvalid as exc:
        claim, identity_error = None, str(exc)
    if claim is not None:
        contact = identify_contact(contact, customer_id=claim.customer_id, email=claim.email, name=claim.name)
    elif contact.platform_customer_id:
        # A customer's contact is resumed only with their signed claim: after a log-out, or on a shared
        # computer, the visitor token alone must not show a customer's chats and orders.
        contact = get_or_create_contact(store)
    context = _page_context(page, cart, locale)
    conversation = Conversation.objects.filter(store=store, contact=contact, status=Status.OPEN).order_by("-id").first()
    if conversation is None:
        conversation = start_conversation(contact, context=context)
    elif context:
        conversation.context = {**conversation.context, **context}
        conversation.save(update_fields=["context"])
    return WidgetSession(
        contact_id=contact.pk, conversation_id=conversation.pk, visitor_token=visitor_token(contact),
        conversation=conversation_payload(conversation), identity_error=identity_error, record=conversation,
    )  # fmt: skip


def identify_session(store: Store, contact_id: int, customer: Any) -> tuple[int, str]:
    """The ``identify`` frame: link a verified customer to the connection's contact; returns the contact id.

    Raises ``IdentityInvalid`` for a wrong or missing signature.
    """
    claim = verify_customer_claim(store, customer)
    if claim is None:
        raise IdentityInvalid("The customer claim has no signature.")
    contact = _session_contact(store, contact_id)
    contact = identify_contact(contact, customer_id=claim.customer_id, email=claim.email, name=claim.name)
    return contact.pk, visitor_token(contact)


def messages_since(store: Store, conversation_id: int, last_message_id: Any = None) -> list[dict]:
    """Missed messages (id greater than ``last_message_id``), or the recent ones; oldest first. Never notes."""
    rows = Message.objects.filter(store=store, conversation_id=conversation_id, sender__in=SHOPPER_VISIBLE)
    rows = rows.select_related("author")
    if isinstance(last_message_id, int) and not isinstance(last_message_id, bool) and last_message_id >= 0:
        messages = list(rows.filter(id__gt=last_message_id).order_by("id")[:MAX_CATCH_UP])
    else:
        messages = list(rows.order_by("-id")[:RECENT_MESSAGES])[::-1]
    return [message_payload(m) for m in messages]


def _session_contact(store: Store, contact_id: int) -> Contact:
    contact = Contact.objects.filter(store=store, pk=contact_id).first()
    if contact is None:  # another tab's identify merged this visitor into the customer's contact
        raise ValidationError("This visitor was signed in elsewhere; reconnect.", code="bad_frame")
    return contact


def set_session_attributes(store: Store, contact_id: int, attributes: Any) -> None:
    """The page's ``attributes`` frame (its JavaScript API): merged into the contact's attributes."""
    set_contact_attributes(_session_contact(store, contact_id), attributes)


# Fields some events must carry: name -> (field, kind); "number" is a finite number >= 0, "id" a short text/number.
EVENT_FIELDS = {
    "time_on_page": [("seconds", "number")], "scroll": [("percent", "number")],
    "product_clicked": [("product_id", "id")], "added_to_cart": [("product_id", "id"), ("variant_id", "id")],
    "custom": [("event", "id")],
}  # fmt: skip


def _check_event_data(name: str, data: dict) -> None:
    for field, kind in EVENT_FIELDS.get(name, ()):
        value = data.get(field)
        if kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 10**7
        else:
            ok = isinstance(value, str | int) and not isinstance(value, bool) and 0 < len(str(value)) <= 64
        if not ok:
            what = "a number" if kind == "number" else "an id (text up to 64 characters)"
            raise ValidationError(f"The {name} event needs {field}: {what}.", code="bad_frame")


@transaction.atomic
def record_widget_event(store: Store, conversation_id: int, contact_id: int, name: Any, data: Any) -> None:
    """Store what the page reported (page views, cart changes, exit intent…) for triggers and analytics."""
    if name not in WIDGET_EVENTS:
        raise ValidationError(f"Unknown event {str(name)[:40]!r}.", code="bad_frame")
    data = _clean_json(data if data is not None else {}, "event data")
    if not isinstance(data, dict):
        raise ValidationError("Event data must be an object.", code="bad_frame")
    conversation = Conversation.objects.select_for_update().get(store=store, pk=conversation_id)
    _check_event_data(name, data)
    if name == "page_view":
        conversation.context = {**conversation.context, **_page_context(data, None, None, conversation.context)}
    elif name == "cart_updated":
        cart = data.get("cart", data)
        if not isinstance(cart, dict):
            raise ValidationError("The cart must be an object.", code="bad_frame")
        conversation.context = {**conversation.context, "cart": cart}
    conversation.save(update_fields=["context"])
    now = timezone.now()
    Contact.objects.filter(store=store, pk=contact_id).update(last_seen_at=now)
    record_events(store, [EventRecord(name, data, conversation_id, contact_id)])
    proactive.after_widget_event(conversation, name, data, now)
