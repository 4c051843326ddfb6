"""The shop-node side effects the conversation service carries out for the engine.

- ``perform`` runs inside the bot turn's transaction, for writes to our own database: a restock watch
  (``integrations.restock``), a lead with consent (the contact, plus the ``lead.captured`` webhook after commit).
- ``create_discount`` runs in the effect task, outside any transaction: it waits on the shop's platform.
- ``tell_webhooks`` sends the store's webhooks what the shop nodes' analytics events mean to them (an order
  status answered is ``order_status.asked``).

Each returns the outcome the node reads back in ``ctx.effect_result``.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from conversations.models import Contact, Conversation
from conversations.services import apply_contact_changes, clean_attributes
from flows.nodes.base import SaveLead, WatchRestock
from integrations import outbound, queries, restock
from integrations.discounts import DiscountRefused, create_discount_code

logger = logging.getLogger(__name__)
TOO_MANY = {"ok": False, "in_stock": False, "error": "Too many shop writes in one turn."}


def perform(conversation: Conversation, effect) -> dict:
    """Carry out a WatchRestock or SaveLead. Call inside the turn's transaction, with the contact locked."""
    if isinstance(effect, WatchRestock):
        return _watch(conversation, effect)
    if isinstance(effect, SaveLead):
        return _save_lead(conversation, effect)
    raise TypeError(f"{type(effect).__name__} is not done in the turn")


def _watch(conversation: Conversation, effect: WatchRestock) -> dict:
    store = conversation.store
    found = queries.get_products_by_platform_ids(store, [effect.product_id])
    product = found[0] if found else None
    variant = None
    if product is not None and effect.variant_id:
        variant = next((v for v in product.variants.all() if v.platform_id == effect.variant_id), None)
    if product is None or (effect.variant_id and variant is None):
        return {"ok": False, "in_stock": False, "error": "The store has no such product."}
    try:
        restock.watch_restock(store, product, contact_id=conversation.contact_id, variant=variant)
    except restock.NotOutOfStock:
        return {"ok": False, "in_stock": True, "error": ""}
    return {"ok": True, "in_stock": False, "error": ""}


def _contact_payload(contact: Contact) -> dict:
    return {"id": contact.pk, "name": contact.name, "email": contact.email, "phone": contact.phone}


def tell_webhooks(conversation: Conversation, events) -> None:
    """Call inside the turn's transaction (deliveries are queued after commit)."""
    for event in events:
        if event.name != "order_status_answered":
            continue
        order = queries.get_order_in_store(conversation.store, event.data.get("order_id"))
        if order is None:
            continue
        outbound.emit(conversation.store, "order_status.asked", {
            "contact": _contact_payload(conversation.contact),
            "conversation": {"id": conversation.pk, "status": conversation.status},
            "order": {"id": order.platform_id, "name": order.name, "email": order.email},
        })  # fmt: skip


def _save_lead(conversation: Conversation, effect: SaveLead) -> dict:
    """The email/phone go on the contact (validated again here: the node's check is not the last word), the
    consent and when it was given go in its attributes, and the store's webhooks hear ``lead.captured``."""
    contact: Contact = conversation.contact
    if not effect.consent or not (effect.email or effect.phone):
        return {"ok": False, "error": "No consent, or nothing to save."}
    changes = {key: value for key, value in (("email", effect.email), ("phone", effect.phone)) if value}
    try:
        if effect.email:  # refuse the lead as a whole rather than keep half of it
            validate_email(effect.email)
        consent = clean_attributes({"marketing_consent": True, "marketing_consent_at": timezone.now().isoformat()})
    except ValidationError as exc:
        return {"ok": False, "error": exc.messages[0]}
    changes.update({f"attributes.{key}": value for key, value in consent.items()})
    had_lead = bool(contact.email or contact.phone)
    apply_contact_changes(contact, changes)  # tells the webhooks itself when this is the contact's first lead
    if had_lead:  # a returning lead (new phone, renewed consent) is news to the store's CRM too
        outbound.emit(conversation.store, "lead.captured", {
            "contact": _contact_payload(contact),
            "conversation": {"id": conversation.pk, "status": conversation.status},
            "consent": True, "source": effect.source[:100],
        })  # fmt: skip
    return {"ok": True, "error": ""}


def create_discount(conversation_id: int, effect: dict) -> dict:
    """Create the code a checkout-link node asked for; never raises (the flow takes its error exit instead)."""
    conversation = Conversation.objects.select_related("store").filter(pk=conversation_id).first()
    if conversation is None:
        return {"ok": False, "code": "", "error": "The conversation is gone."}
    try:
        code = create_discount_code(
            conversation.store, contact_id=conversation.contact_id, percent=int(effect.get("percent") or 0),
            prefix=str(effect.get("prefix") or ""), valid_days=int(effect.get("valid_days") or 7),
        )  # fmt: skip
    except DiscountRefused as exc:
        logger.warning("Store %s, conversation %s: no discount code: %s", conversation.store_id, conversation_id, exc)
        return {"ok": False, "code": "", "error": str(exc)[:300]}
    return {"ok": True, "code": code, "error": ""}
