"""Store-scoped reads for the agent inbox. ``access_*`` answer 404 alike for missing and foreign rows."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conversations.models import Conversation, HeldBy, Message, Sender, Status
from conversations.payloads import message_payload
from tenants.models import Store

VIEWS = {
    "needs_human": "Needs a human",
    "mine": "Mine",
    "unassigned": "Unassigned",
    "bot": "Bot is handling",
    "resolved": "Resolved",
}
LIST_LIMIT = 100
HISTORY_LIMIT = 200


def access_conversation(store: Store, conversation_id) -> Conversation:
    rows = Conversation.objects.select_related("contact", "contact__customer", "assignee")
    return get_object_or_404(rows, store=store, pk=conversation_id)


def inbox_conversations(store: Store, user, view: str = "needs_human", search: str = "") -> list[Conversation]:
    """One of the inbox's views; "needs a human" lists the waiting handoffs oldest first."""
    rows = Conversation.objects.filter(store=store).select_related("contact", "assignee")
    open_rows = rows.filter(status=Status.OPEN)
    views = {
        "needs_human": open_rows.filter(held_by=HeldBy.AGENT, assignee__isnull=True).order_by("handed_off_at", "id"),
        "mine": open_rows.filter(assignee=user).order_by("-last_message_at"),
        "unassigned": open_rows.filter(assignee__isnull=True).order_by("-last_message_at"),
        "bot": open_rows.filter(held_by=HeldBy.BOT).order_by("-last_message_at"),
        "resolved": rows.filter(status=Status.RESOLVED).order_by("-resolved_at"),
    }
    chosen = views.get(view, views["needs_human"])
    search = (search or "").strip()[:100]
    if search:
        texts = Message.objects.filter(store=store, text__icontains=search).values("conversation_id")
        chosen = rows.filter(
            Q(contact__name__icontains=search) | Q(contact__email__icontains=search) | Q(pk__in=texts)
        ).order_by("-last_message_at")
    unread = Count("messages", filter=Q(messages__sender=Sender.SHOPPER, messages__bot_handled_at__isnull=False))
    conversations = list(chosen.annotate(shopper_messages=unread)[:LIST_LIMIT])
    now = timezone.now()
    for conversation in conversations:
        waited = (now - conversation.handed_off_at) if conversation.handed_off_at else None
        conversation.waiting_minutes = int(waited.total_seconds() // 60) if waited else None
    return conversations


def conversation_history(store: Store, conversation_id: int) -> list[dict]:
    """The whole history as agents see it: the shopper's and bot's messages, replies, and private notes."""
    rows = Message.objects.filter(store=store, conversation_id=conversation_id).select_related("author")
    return [message_payload(m) for m in list(rows.order_by("-id")[:HISTORY_LIMIT])[::-1]]


def summary(conversation: Conversation) -> dict:
    """A conversation as the inbox list shows it."""
    contact = conversation.contact
    return {
        "id": conversation.pk, "status": conversation.status, "held_by": conversation.held_by,
        "assignee": conversation.assignee.display_name if conversation.assignee_id else "",
        "assignee_id": conversation.assignee_id, "contact": str(contact), "email": contact.email,
        "verified": bool(contact.platform_customer_id), "segment": contact.segment,
        "handed_off_at": conversation.handed_off_at.isoformat() if conversation.handed_off_at else None,
    }  # fmt: skip
