"""The inbox's timers, fired by the beat sweep (``turns.sweep``): snoozes that are over, and handoffs that
have waited longer than the store's ``handoff_alert_minutes`` for a person (one email per handoff).

Both claim their rows with a conditional update, so two sweeps running at once act on each row once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse

from conversations.models import Conversation, HeldBy, Message, Sender, Status
from conversations.realtime import broadcast_on_commit, store_group
from tenants.models import Membership

logger = logging.getLogger(__name__)
BATCH = 500


def wake_snoozed(now) -> int:
    """Snoozes that are due: back in the active views, and the store's agents are told (``woke``)."""
    woken = 0
    due = Conversation.objects.filter(snoozed_until__lte=now).values_list("pk", "store_id", "status", "held_by")
    for conversation_id, store_id, status, held_by in due[:BATCH]:
        with transaction.atomic():
            if not Conversation.objects.filter(pk=conversation_id, snoozed_until__lte=now).update(snoozed_until=None):
                continue  # another sweep, or a shopper message, woke it first
            payload = {"id": conversation_id, "status": status, "held_by": held_by, "woke": True}
            broadcast_on_commit(store_group(store_id), "inbox.changed", payload)
        woken += 1
    return woken


ALERT_WITHIN = timedelta(days=1)  # a handoff older than this without an alert is not worth an email any more


def waiting_handoffs(now):
    """Open handoffs of the last day with no agent reply since, not yet alerted, in stores that want alerts.

    Bounded by time so that answered handoffs left open do not make every sweep slower."""
    answered = Message.objects.filter(
        conversation=OuterRef("pk"), sender=Sender.AGENT, created_at__gte=OuterRef("handed_off_at")
    )
    rows = Conversation.objects.filter(
        held_by=HeldBy.AGENT, status=Status.OPEN, handoff_alerted_at__isnull=True,
        handed_off_at__range=(now - ALERT_WITHIN, now),
        store__handoff_alert_minutes__gt=0, snoozed_until__isnull=True,
    ).exclude(Exists(answered))  # fmt: skip
    return rows.values_list("pk", "handed_off_at", F("store__handoff_alert_minutes"))[:BATCH]


def alert_waiting_handoffs(now) -> int:
    """Email the team about each handoff waiting past the store's delay; once per handoff."""
    from conversations.tasks import send_handoff_alert

    alerted = 0
    for conversation_id, handed_off_at, minutes in waiting_handoffs(now):
        if handed_off_at > now - timedelta(minutes=minutes):
            continue
        with transaction.atomic():
            claimed = Conversation.objects.filter(
                pk=conversation_id, handoff_alerted_at__isnull=True, handed_off_at=handed_off_at
            ).update(handoff_alerted_at=now)
            if claimed:
                transaction.on_commit(lambda cid=conversation_id: send_handoff_alert.delay(cid))
                alerted += 1
    return alerted


def handoff_alert_email(conversation_id: int) -> int:
    """Send the alert (the task's body): to every member of the store, with a link to the conversation."""
    conversation = Conversation.objects.select_related("store", "contact").filter(pk=conversation_id).first()
    if conversation is None or conversation.held_by != HeldBy.AGENT or conversation.status != Status.OPEN:
        return 0  # taken care of meanwhile
    store = conversation.store
    members = Membership.objects.filter(store=store, user__is_active=True)
    emails = sorted(set(members.values_list("user__email", flat=True)))
    if not emails:
        return 0
    link = settings.PUBLIC_URL + reverse("inbox", kwargs={"store_slug": store.slug}) + f"?c={conversation.pk}"
    minutes = store.handoff_alert_minutes
    body = (
        f"{conversation.contact} asked for a person in {store.name}'s chat and has waited more than "
        f"{minutes} minutes.\n\nOpen the conversation: {link}\n"
    )
    send_mail(f"A shopper is waiting for a person ({store.name})", body, None, emails)
    return len(emails)
