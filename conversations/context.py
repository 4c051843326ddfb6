"""The personalization context a flow reads, as plain JSON values (never model objects)."""

from typing import Any

from conversations.models import Contact, Conversation


def contact_data(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "name": contact.name,
        "first_name": contact.name.split(" ")[0] if contact.name else "",
        "email": contact.email,
        "phone": contact.phone,
        "attributes": dict(contact.attributes),
        "tags": list(contact.tags),
        "segment": contact.segment,
        "visits": contact.visits,
        "first_visit": contact.visits <= 1,
        "returning": contact.visits > 1,
        "first_seen": contact.first_seen_at.isoformat() if contact.first_seen_at else "",
    }


def store_data(store) -> dict[str, Any]:
    return {
        "name": store.name,
        "bot_name": store.bot_name,
        "currency": store.currency,
        "locale": store.locale,
        "timezone": store.timezone,
    }


def _object(value: Any) -> dict:
    return dict(value) if isinstance(value, dict) else {}


def build_context(conversation: Conversation) -> dict[str, Any]:
    """What ``{{ }}`` text and conditions can read; ``vars`` is added by the engine from the flow state."""
    page_info = conversation.context or {}
    return {
        "contact": contact_data(conversation.contact),
        "store": store_data(conversation.store),
        "page": _object(page_info.get("page")),
        "cart": _object(page_info.get("cart")),
        "customer": {},
        "orders": [],
        "entities": {},
        "intent": "",
    }
