"""Proactive messages: what started a flow by itself, the timers and news waiting for a shopper, campaigns."""

from django.db import models
from django.db.models import Q

from flows.triggers.models import Trigger


class Campaign(models.Model):
    """A message or a flow for one segment of shoppers, between two days (the store's time zone), once each."""

    class Audience(models.TextChoices):
        NEW = "new", "New visitors"
        RETURNING = "returning", "Returning visitors"
        LOYAL = "loyal", "Loyal customers"
        HIGH_VALUE = "high_value", "High-value customers"
        TAG = "tag", "Shoppers with a tag"

    Display = Trigger.Display  # shown like a trigger's message: a teaser bubble, or the chat opens

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=100)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    tag = models.CharField(max_length=50, blank=True)  # for the TAG audience: a contact or customer tag
    text = models.TextField(blank=True)  # the message (``{{ }}`` allowed), or empty when ``flow`` is set
    flow = models.ForeignKey("flows.Flow", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()  # inclusive
    display = models.CharField(max_length=10, choices=Display.choices, default=Display.TEASER)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["store", "enabled", "ends_on"])]

    def __str__(self):
        return self.name


class ProactiveStart(models.Model):
    """One proactive message a shopper got, from a trigger or a campaign: caps and "once per shopper" count these."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey("conversations.Contact", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        "conversations.Conversation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.ForeignKey("flows.Trigger", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="starts")
    started_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["contact", "started_at"]),
            models.Index(fields=["trigger", "contact", "started_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "contact"], condition=Q(campaign__isnull=False), name="campaign_once_per_contact"
            ),
        ]

    def __str__(self):
        return f"{'campaign ' + str(self.campaign_id) if self.campaign_id else 'trigger ' + str(self.trigger_id)}"


class CartTimer(models.Model):
    """Items in a conversation's cart: the sweep fires ``cart_idle`` at ``due_at`` unless the shopper acts again."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    conversation = models.OneToOneField("conversations.Conversation", on_delete=models.CASCADE, related_name="+")
    active_at = models.DateTimeField()  # the shopper's last activity with items in the cart
    due_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["due_at"])]

    def __str__(self):
        return f"cart of conversation {self.conversation_id} due {self.due_at:%Y-%m-%d %H:%M}"


class UpdateKind(models.TextChoices):
    ORDER_FULFILLED = "order_fulfilled", "Order shipped"
    BACK_IN_STOCK = "back_in_stock", "Back in stock"


class PendingUpdate(models.Model):
    """News for one shopper (an order shipped, a product back in stock), told while they are online or at
    their next visit, once. ``ref`` names what it is about (a fulfillment's or a restock watch's id)."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey("conversations.Contact", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=UpdateKind.choices)
    ref = models.BigIntegerField()
    data = models.JSONField(default=dict, blank=True)  # what the flow reads in vars.trigger
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "kind", "ref"], name="pending_update_once")]
        indexes = [models.Index(fields=["contact", "delivered_at"])]

    def __str__(self):
        return f"{self.kind} {self.ref} for contact {self.contact_id}"
