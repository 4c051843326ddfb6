"""Store-scoped reads. ``access_*`` answer 404 alike for a missing row and another store's row."""

from django.db.models import F
from django.shortcuts import get_object_or_404

from tenants.models import ApiKey, Invitation, Membership, Store


def access_membership(store: Store, member_id) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), store=store, pk=member_id)


def access_invitation(store: Store, invitation_id) -> Invitation:
    return get_object_or_404(Invitation, store=store, pk=invitation_id, accepted_at__isnull=True)


def access_api_key(store: Store, api_key_id) -> ApiKey:
    return get_object_or_404(ApiKey, store=store, pk=api_key_id)


def stores_of(user):
    """The user's stores, each annotated with ``role``, by name."""
    return Store.objects.filter(memberships__user=user).annotate(role=F("memberships__role")).order_by("name")


def get_store_by_public_key(public_key: str) -> Store | None:
    return Store.objects.filter(public_key=public_key).first()
