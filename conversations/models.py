"""Contacts (the shoppers), their conversations and every message: the record of every chat."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


def new_visitor_id() -> str:
    return secrets.token_urlsafe(18)


class Segment(models.TextChoices):
    NEW = "new", "New"
    RETURNING = "returning", "Returning"
    LOYAL = "loyal", "Loyal"
    HIGH_VALUE = "high_value", "High value"


class Contact(models.Model):
    """A shopper as the store knows them: a browser's visitor id, and whatever they told us or we synced."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="contacts")
    # The browser keeps this inside a token signed by the server (the widget never picks its own).
    visitor_id = models.CharField(max_length=64, default=new_visitor_id)
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    tags = models.JSONField(default=list, blank=True)
    # The store's customer id, set only from a claim signed with the store's identity secret, and the synced
    # customer it names (when the mirror has it). Never set from an email typed into the chat.
    platform_customer_id = models.CharField(max_length=32, blank=True)
    customer = models.ForeignKey(
        "integrations.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    segment = models.CharField(max_length=20, choices=Segment.choices, default=Segment.NEW)
    visits = models.PositiveIntegerField(default=1)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "visitor_id"], name="contact_visitor_unique"),
            models.UniqueConstraint(
                fields=["store", "platform_customer_id"], condition=~Q(platform_customer_id=""),
                name="contact_customer_unique",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["store", "email"])]

    def __str__(self):
        return self.name or self.email or f"Visitor {self.pk}"


class Channel(models.TextChoices):
    WEB = "web", "Website widget"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class HeldBy(models.TextChoices):
    """Who answers the shopper: the bot, or the team (an assignee, or the queue when there is none)."""

    BOT = "bot", "Bot"
    AGENT = "agent", "Agent"


class Conversation(models.Model):
    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="conversations")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="conversations")
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    held_by = models.CharField(max_length=10, choices=HeldBy.choices, default=HeldBy.BOT)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The engine's state (flow, node, variables); written only by the bot-turn service.
    flow_state = models.JSONField(default=dict, blank=True)
    bot_started = models.BooleanField(default=False)  # the flow's greeting has run
    # A side effect the engine asked for and the service has not finished: {"id", "kind", ...}.
    pending_effect = models.JSONField(default=dict, blank=True)
    wake_at = models.DateTimeField(null=True, blank=True)  # a wait node's due time, fired by the beat sweep
    # What the widget told us about the page: {"page": {...}, "cart": {...}, "locale": "..."}.
    context = models.JSONField(default=dict, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=1000, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    handed_off_at = models.DateTimeField(null=True, blank=True)
    # When the team was emailed about this handoff still waiting (once per handoff; a new handoff clears it).
    handoff_alerted_at = models.DateTimeField(null=True, blank=True)
    # Snoozed: out of the inbox's active views until this time (the beat sweep reopens it) or a shopper message.
    snoozed_until = models.DateTimeField(null=True, blank=True)
    # Outside business hours the bot asked for an email: the shopper's next message that is one is kept.
    collecting_email = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["store", "status", "-last_message_at"]),
            models.Index(fields=["wake_at"], condition=Q(wake_at__isnull=False), name="conversation_wake_due"),
            models.Index(
                fields=["snoozed_until"], condition=Q(snoozed_until__isnull=False), name="conversation_snooze_due"
            ),
            models.Index(
                fields=["handed_off_at"], condition=Q(held_by="agent", status="open", handoff_alerted_at__isnull=True),
                name="conversation_handoff_waiting",
            ),
        ]

    def __str__(self):
        return f"Conversation {self.pk}"


class Sender(models.TextChoices):
    SHOPPER = "shopper", "Shopper"
    BOT = "bot", "Bot"
    AGENT = "agent", "Agent"
    NOTE = "note", "Private note"  # an agent's note to the team: never broadcast to or shown to the shopper


SHOPPER_VISIBLE = (Sender.SHOPPER, Sender.BOT, Sender.AGENT)


class Message(models.Model):
    """One message. Ids increase in the order messages are stored: clients catch up with ``id > last``."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    payload = models.CharField(max_length=200, blank=True)  # the button a shopper pressed
    buttons = models.JSONField(default=list, blank=True)
    cards = models.JSONField(default=list, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    client_id = models.CharField(max_length=64, blank=True)  # makes a shopper's re-send idempotent
    # A bot message a trigger or campaign sent by itself: how the widget shows it ("teaser" or "open").
    proactive = models.CharField(max_length=10, blank=True)
    # For a shopper's message: when a bot turn consumed it (or decided the bot should not answer).
    bot_handled_at = models.DateTimeField(null=True, blank=True)
    # What agents see about a shopper's message, e.g. {"sentiment": {"score", "label", "strongly_negative"}}.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "client_id"], condition=~Q(client_id=""), name="message_client_id_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sender="shopper", bot_handled_at__isnull=True),
                name="message_awaiting_bot",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.sender}: {self.text[:40]}"


class CannedResponse(models.Model):
    """A saved reply agents insert by its shortcut (``/returns``); its text may use ``{{ contact.first_name }}``."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="canned_responses")
    shortcut = models.SlugField(max_length=40)
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shortcut"]
        constraints = [models.UniqueConstraint(fields=["store", "shortcut"], name="canned_shortcut_unique")]

    def __str__(self):
        return f"/{self.shortcut}"


class ConversationRead(models.Model):
    """How far one agent has read one conversation: their unread count is the shopper's messages after it."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_unique")]

    def __str__(self):
        return f"{self.user_id} read {self.conversation_id} to {self.last_read_id}"


from conversations.proactive_models import (  # noqa: E402  (Django finds models here)
    Campaign,
    CartTimer,
    PendingUpdate,
    ProactiveStart,
)

__all__ = [
    "Campaign", "CannedResponse", "CartTimer", "Channel", "Contact", "Conversation", "ConversationRead", "HeldBy",
    "Message", "PendingUpdate", "ProactiveStart", "Segment", "Sender", "Status",
]  # fmt: skip
