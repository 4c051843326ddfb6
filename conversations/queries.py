"""Store-scoped reads for the agent inbox. ``access_*`` answer 404 alike for missing and foreign rows."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conversations.models import CannedResponse, Conversation, ConversationRead, HeldBy, Message, Sender, Status
from conversations.payloads import agent_message_payload
from tenants.models import Store

VIEWS = {
    "needs_human": "Needs a human",
    "mine": "Mine",
    "unassigned": "Unassigned",
    "bot": "Bot is handling",
    "snoozed": "Snoozed",
    "resolved": "Resolved",
}
LIST_LIMIT = 100
HISTORY_LIMIT = 200


def access_conversation(store: Store, conversation_id) -> Conversation:
    rows = Conversation.objects.select_related("contact", "contact__customer", "assignee")
    return get_object_or_404(rows, store=store, pk=conversation_id)


def access_canned_response(store: Store, response_id) -> CannedResponse:
    return get_object_or_404(CannedResponse, store=store, pk=response_id)


def inbox_conversations(store: Store, user, view: str = "needs_human", search: str = "") -> list[Conversation]:
    """One of the inbox's views; "needs a human" lists the waiting handoffs oldest first."""
    rows = Conversation.objects.filter(store=store).select_related("contact", "assignee")
    open_rows = rows.filter(status=Status.OPEN, snoozed_until__isnull=True)  # a snoozed one is out of view
    views = {
        "needs_human": open_rows.filter(held_by=HeldBy.AGENT, assignee__isnull=True).order_by("handed_off_at", "id"),
        "mine": open_rows.filter(assignee=user).order_by("-last_message_at"),
        "unassigned": open_rows.filter(assignee__isnull=True).order_by("-last_message_at"),
        "bot": open_rows.filter(held_by=HeldBy.BOT).order_by("-last_message_at"),
        "snoozed": rows.filter(status=Status.OPEN, snoozed_until__isnull=False).order_by("snoozed_until"),
        "resolved": rows.filter(status=Status.RESOLVED).order_by("-resolved_at"),
    }
    chosen = views.get(view, views["needs_human"])
    search = (search or "").strip()[:100]
    if search:
        texts = Message.objects.filter(store=store, text__icontains=search).values("conversation_id")
        chosen = rows.filter(
            Q(contact__name__icontains=search) | Q(contact__email__icontains=search) | Q(pk__in=texts)
        ).order_by("-last_message_at")
    conversations = list(chosen.annotate(unread=_unread_for(store, user))[:LIST_LIMIT])
    now = timezone.now()
    for conversation in conversations:
        waited = (now - conversation.handed_off_at) if conversation.handed_off_at else None
        conversation.waiting_minutes = int(waited.total_seconds() // 60) if waited else None
    return conversations


def _unread_for(store: Store, user):
    """The shopper's messages after the agent's read marker (all of them before they first open it)."""
    marker = ConversationRead.objects.filter(conversation=OuterRef(OuterRef("pk")), user=user).values("last_read_id")
    shopper = Message.objects.filter(
        store=store, conversation=OuterRef("pk"), sender=Sender.SHOPPER, id__gt=Coalesce(Subquery(marker[:1]), 0)
    )
    counted = shopper.order_by().values("conversation").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unread_count(store: Store, conversation_id: int, last_read_id: int) -> int:
    rows = Message.objects.filter(store=store, conversation_id=conversation_id, sender=Sender.SHOPPER)
    return rows.filter(id__gt=last_read_id).count()


def conversation_history(store: Store, conversation_id: int) -> list[dict]:
    """The whole history as agents see it: the shopper's and bot's messages, replies, and private notes."""
    rows = Message.objects.filter(store=store, conversation_id=conversation_id).select_related("author")
    return [agent_message_payload(m) for m in list(rows.order_by("-id")[:HISTORY_LIMIT])[::-1]]


TREND_WINDOW = 3  # shopper messages compared: the latest few against the few before them
TREND_MARGIN = 0.15  # a change in average score smaller than this is "steady"


def sentiment_summary(store_id: int, conversation_id: int) -> dict:
    """The shopper's mood for the side panel: their latest message's sentiment and the trend over the chat."""
    rows = Message.objects.filter(store_id=store_id, conversation_id=conversation_id, sender=Sender.SHOPPER)
    scored = [d["sentiment"] for d in rows.order_by("-id").values_list("data", flat=True)[: 2 * TREND_WINDOW]
              if isinstance(d, dict) and isinstance(d.get("sentiment"), dict)]  # fmt: skip
    if not scored:
        return {}
    recent, before = scored[:TREND_WINDOW], scored[TREND_WINDOW:]
    average = sum(s.get("score", 0) for s in recent) / len(recent)
    trend = "steady"
    if before:
        change = average - sum(s.get("score", 0) for s in before) / len(before)
        trend = "improving" if change >= TREND_MARGIN else "worsening" if change <= -TREND_MARGIN else "steady"
    return {"latest": scored[0], "average": round(average, 3), "trend": trend}


def summary(conversation: Conversation) -> dict:
    """A conversation as the inbox list shows it."""
    contact = conversation.contact
    return {
        "id": conversation.pk, "status": conversation.status, "held_by": conversation.held_by,
        "assignee": conversation.assignee.display_name if conversation.assignee_id else "",
        "assignee_id": conversation.assignee_id, "contact": str(contact), "email": contact.email,
        "verified": bool(contact.platform_customer_id), "segment": contact.segment,
        "handed_off_at": conversation.handed_off_at.isoformat() if conversation.handed_off_at else None,
        "snoozed_until": conversation.snoozed_until.isoformat() if conversation.snoozed_until else None,
        "sentiment": sentiment_summary(conversation.store_id, conversation.pk),
    }  # fmt: skip
