"""What conversations hold on a shopper: their contact record and every transcript."""

from django.db.models import Q

from analytics.services import erase_contact_events
from conversations.models import CannedResponse, Contact, Message, PendingUpdate, ProactiveStart
from integrations.restock import delete_contact_watches
from tenants.models import Store
from tenants.privacy import PrivacyHandler, Shopper


def _contacts(store: Store, shopper: Shopper):
    match = Q(pk__in=[])
    if shopper.email:
        match |= Q(email__iexact=shopper.email)
    if shopper.phone:
        match |= Q(phone=shopper.phone)
    if shopper.customer_ids:
        match |= Q(platform_customer_id__in=[str(i) for i in shopper.customer_ids])
    return Contact.objects.filter(match, store=store)


def _transcripts(store: Store, contacts) -> list[dict]:
    messages = Message.objects.filter(store=store, conversation__contact__in=contacts).order_by("conversation_id", "id")
    transcripts: dict[int, list] = {}
    for conversation_id, sender, text, created_at in messages.values_list(
        "conversation_id", "sender", "text", "created_at"
    ):
        transcripts.setdefault(conversation_id, []).append(
            {"sender": sender, "text": text, "at": created_at.isoformat()}
        )
    return [{"conversation": cid, "messages": msgs} for cid, msgs in transcripts.items()]


def _contact_rows(contacts) -> list[dict]:
    return list(
        contacts.values("name", "email", "phone", "attributes", "tags", "segment", "first_seen_at", "last_seen_at")
    )


def _proactive_rows(store: Store, contacts) -> dict:
    """News told (or waiting) for the shopper and the proactive messages they got (erased with the contact)."""
    news = PendingUpdate.objects.filter(store=store, contact__in=contacts).order_by("created_at")
    starts = ProactiveStart.objects.filter(store=store, contact__in=contacts).order_by("started_at")
    return {
        "news": list(news.values("kind", "data", "created_at", "delivered_at")),
        "proactive_messages": list(starts.values("trigger__kind", "campaign__name", "started_at")),
    }


def export_shopper(store: Store, shopper: Shopper) -> dict:
    contacts = _contacts(store, shopper)
    return {"contacts": _contact_rows(contacts), "conversations": _transcripts(store, contacts),
            **_proactive_rows(store, contacts)}  # fmt: skip


def erase_shopper(store: Store, shopper: Shopper) -> int:
    contacts = _contacts(store, shopper)
    ids = list(contacts.values_list("pk", flat=True))
    erase_contact_events(store, ids)
    for contact_id in ids:  # their back-in-stock requests name them too
        delete_contact_watches(store, contact_id)
    deleted, _ = Contact.objects.filter(store=store, pk__in=ids).delete()
    return deleted


def export_store(store: Store) -> dict:
    contacts = Contact.objects.filter(store=store)
    canned = CannedResponse.objects.filter(store=store).order_by("shortcut").values("shortcut", "text")
    return {"contacts": _contact_rows(contacts), "conversations": _transcripts(store, contacts),
            "canned_responses": list(canned)}  # fmt: skip


HANDLER = PrivacyHandler(
    name="conversations", export_shopper=export_shopper, erase_shopper=erase_shopper, export_store=export_store
)
