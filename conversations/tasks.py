"""Celery tasks for conversations. They take ids and re-read; the services do the work."""

from celery import shared_task

from conversations import shop_effects, turns


@shared_task(acks_late=True)
def advance_bot(conversation_id: int) -> int:
    """Run a bot turn: answer whatever the shopper sent that the bot has not answered yet."""
    return turns.run_bot_turn(conversation_id)


@shared_task(acks_late=True)
def perform_effect(conversation_id: int, effect_id: str) -> bool:
    """Perform a flow's outside call (an HTTP node's, SSRF-safe; or a discount code on the shop's platform)
    outside any transaction, then resume the flow with its outcome."""
    from botplatform.safe_http import fetch_json

    effect = turns.claim_http_effect(conversation_id, effect_id)
    if effect is None:
        return False
    if effect.get("kind") == "discount":
        result = shop_effects.create_discount(conversation_id, effect)
    else:
        outcome = fetch_json(
            effect["method"], effect["url"], headers=effect.get("headers"), body=effect.get("body"),
            timeout=float(effect.get("timeout") or 10),
        )  # fmt: skip
        result = {"ok": outcome.ok, "status": outcome.status, "json": outcome.json, "error": outcome.error}
    return turns.resume_after_effect(conversation_id, effect_id, result)


@shared_task
def sweep_conversations() -> dict:
    """Every few seconds (beat): lost bot turns, due waits, unfinished HTTP calls."""
    return turns.sweep()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_transcript(conversation_id: int) -> bool:
    """Email the conversation's transcript, as plain text, to the shopper's address (read now)."""
    from django.core.mail import send_mail

    from conversations.followup import transcript_text
    from conversations.models import Conversation

    conversation = Conversation.objects.select_related("store", "contact").filter(pk=conversation_id).first()
    if conversation is None or not conversation.contact.email:
        return False
    subject = f"Your chat with {conversation.store.name}"
    send_mail(subject, transcript_text(conversation), None, [conversation.contact.email])
    return True


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_handoff_alert(conversation_id: int) -> int:
    """Email the store's team that a shopper has waited too long for a person; returns how many were told."""
    from conversations.timers import handoff_alert_email

    return handoff_alert_email(conversation_id)


@shared_task(acks_late=True)
def consider_proactive(conversation_id: int, event: str, data: dict) -> bool:
    """After a widget event: start a trigger's flow or show a campaign, if one matches and may."""
    from conversations.proactive import consider

    return consider(conversation_id, event, data) is not None


@shared_task
def sweep_proactive() -> dict:
    """Every few seconds (beat): cart-abandonment timers that came due, and news for shoppers."""
    from conversations.proactive_sweep import sweep

    return sweep()
