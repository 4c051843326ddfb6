"""What the mirror holds on a shopper (their customer record and orders) and on a store, for the privacy registry.

A shopper is matched on every identifier the request gives: email, phone, platform customer ids and
platform order ids, always within the one store. Erasing removes our copy; the shop keeps its own.
"""

from django.db.models import Q

from integrations.models import Connection, Customer, Order
from integrations.queries import mirror_counts
from tenants.models import Store
from tenants.privacy import PrivacyHandler, Shopper


def _customers(store: Store, shopper: Shopper):
    match = Q(platform_id__in=shopper.customer_ids) if shopper.customer_ids else Q(pk__in=[])
    if shopper.email:
        match |= Q(email=shopper.email)
    if shopper.phone:
        match |= Q(phone=shopper.phone)
    return Customer.objects.filter(store=store).filter(match)


def _orders(store: Store, shopper: Shopper):
    customers = _customers(store, shopper)
    match = Q(customer__in=customers) | Q(customer_platform_id__in=shopper.customer_ids)
    if shopper.email:
        match |= Q(email=shopper.email)
    if shopper.order_ids:
        match |= Q(platform_id__in=shopper.order_ids)
    return Order.objects.filter(store=store).filter(match)


def export_shopper(store: Store, shopper: Shopper) -> dict:
    orders = _orders(store, shopper).prefetch_related("line_items", "fulfillments")
    return {
        "customers": list(
            _customers(store, shopper).values(
                "platform_id", "first_name", "last_name", "email", "phone", "tags", "orders_count", "amount_spent"
            )
        ),
        "orders": [
            {
                "platform_id": o.platform_id, "name": o.name, "email": o.email, "placed_at": o.placed_at.isoformat(),
                "total": str(o.total), "currency": o.currency, "financial_status": o.financial_status,
                "fulfillment_status": o.fulfillment_status,
                "items": [{"title": i.title, "variant": i.variant_title, "quantity": i.quantity, "price": str(i.price)}
                          for i in o.line_items.all()],
                "tracking": [{"carrier": f.carrier, "number": f.tracking_number, "url": f.tracking_url}
                             for f in o.fulfillments.all()],
            }
            for o in orders
        ],
    }  # fmt: skip


def erase_shopper(store: Store, shopper: Shopper) -> int:
    orders, _ = _orders(store, shopper).delete()
    customers, _ = _customers(store, shopper).delete()
    return orders + customers


def _iso(value):
    return value.isoformat() if value else None


def export_store(store: Store) -> dict:
    """The connection (never its secrets) and how much is mirrored; the rows are the shop's own copy."""
    connection = Connection.objects.filter(store=store).first()
    return {
        "connection": None if connection is None else {
            "platform": connection.platform, "shop": connection.shop, "connected_at": _iso(connection.connected_at),
            "last_synced_at": _iso(connection.last_synced_at),
        },
        "mirrored": mirror_counts(store),
    }  # fmt: skip


HANDLER = PrivacyHandler(
    name="integrations", export_shopper=export_shopper, erase_shopper=erase_shopper, export_store=export_store
)
