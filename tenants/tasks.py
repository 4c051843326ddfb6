from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tenants.models import Invitation, UserSession


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int, token: str) -> None:
    invitation = Invitation.objects.select_related("store", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        return  # withdrawn or used meanwhile
    context = {
        "invitation": invitation,
        "url": settings.PUBLIC_URL + reverse("invitation_accept", kwargs={"token": token}),
        "days": settings.INVITATION_DAYS,
    }
    send_mail(
        subject=f"Join {invitation.store.name} on Shopbot",
        message=render_to_string("tenants/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@shared_task
def purge_expired() -> dict[str, int]:
    """Hourly housekeeping: expired invitations and sessions, and the records of sessions that are gone."""
    now = timezone.now()
    invitations, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=now).delete()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    live = Session.objects.values("session_key")
    tracked, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return {"invitations": invitations, "sessions": sessions, "tracked": tracked}
