"""The personalization context a flow reads, as plain JSON values (never model objects)."""

from typing import Any

from conversations.models import Contact, Conversation
from integrations.models import Customer, Order
from integrations.queries import get_customer_by_platform_id, orders_of_customer

ORDERS_IN_CONTEXT = 5  # the most recent orders a flow can read, newest first


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
        "logged_in": bool(contact.platform_customer_id),
    }


def store_data(store) -> dict[str, Any]:
    return {
        "name": store.name,
        "bot_name": store.bot_name,
        "currency": store.currency,
        "locale": store.locale,
        "timezone": store.timezone,
        "loyal_after_orders": store.loyal_after_orders,
        "high_value_spend": str(store.high_value_spend),
    }


def _object(value: Any) -> dict:
    return dict(value) if isinstance(value, dict) else {}


def customer_data(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.platform_id, "name": customer.name, "first_name": customer.first_name,
        "last_name": customer.last_name, "email": customer.email, "phone": customer.phone,
        "tags": list(customer.tags), "orders_count": customer.orders_count,
        "amount_spent": str(customer.amount_spent), "currency": customer.currency,
    }  # fmt: skip


def order_data(order: Order) -> dict[str, Any]:
    shipments = [
        {"status": f.status, "carrier": f.carrier, "tracking_number": f.tracking_number, "tracking_url": f.tracking_url}
        for f in order.fulfillments.all()
    ]
    return {
        "name": order.name, "financial_status": order.financial_status,
        "fulfillment_status": order.fulfillment_status or "unfulfilled", "total": str(order.total),
        "currency": order.currency, "placed_at": order.placed_at.isoformat(), "cancelled": bool(order.cancelled_at),
        "status_url": order.status_url, "items": [f"{li.quantity} x {li.title}" for li in order.line_items.all()],
        "shipments": shipments,
    }  # fmt: skip


def verified_customer(contact: Contact) -> Customer | None:
    """The synced customer behind a verified identity; an email typed into the chat never counts."""
    if contact.customer_id:
        return contact.customer
    if contact.platform_customer_id:  # verified before the mirror had the customer
        return get_customer_by_platform_id(contact.store, contact.platform_customer_id)
    return None


def build_context(conversation: Conversation) -> dict[str, Any]:
    """What ``{{ }}`` text and conditions can read; ``vars`` is added by the engine from the flow state."""
    page_info = conversation.context or {}
    customer = verified_customer(conversation.contact)
    orders = orders_of_customer(conversation.store, customer, limit=ORDERS_IN_CONTEXT) if customer else []
    return {
        "contact": contact_data(conversation.contact),
        "store": store_data(conversation.store),
        "page": {**_object(page_info.get("page")), "utm": _object(page_info.get("utm"))},
        "cart": _object(page_info.get("cart")),
        "customer": customer_data(customer) if customer else {},
        "orders": [order_data(order) for order in orders],
        "vars": {},  # collected in this chat: the engine puts the flow state's variables here
        "entities": {},  # of the shopper's last message (bot turns fill these in)
        "intent": "",
        "sentiment": {},
    }
