"""Shoppers who chat in the demo shop (the ``demo_shop`` fixture) with a cart or a verified identity."""

from conversations import services
from integrations.models import Customer, Order
from tests.conversations.conftest import Shopper


class ShopShopper(Shopper):
    """A shopper whose page passed a cart, and who may be a verified customer (the identity signature checked)."""

    def __init__(self, store, on_commit, *, cart=None, customer: Customer | None = None, name="Dana"):
        self.on_commit, self.sent = on_commit, 0
        contact = services.get_or_create_contact(store)
        contact.name = name
        contact.save()
        if customer is not None:
            contact = services.identify_contact(contact, customer_id=customer.platform_id, email=customer.email)
        self.contact = contact
        with on_commit(execute=True):
            self.conversation = services.start_conversation(contact, context={"cart": cart} if cart else {})

    def last_bot_message(self):
        from conversations.models import Message, Sender

        return Message.objects.filter(conversation=self.conversation, sender=Sender.BOT).order_by("-id").first()


def shipped_order(store) -> Order:
    """A demo order placed by a customer, shipped with a tracking link."""
    return (
        Order.objects.filter(store=store, customer__isnull=False, fulfillment_status="fulfilled", financial_status="paid")
        .exclude(fulfillments__tracking_url="").order_by("number").first()
    )  # fmt: skip
