"""What the tenants app itself holds for a store: its settings, its team and its keys (no shopper data)."""

from tenants.models import ApiKey, Invitation, Membership, Store
from tenants.privacy import PrivacyHandler


def export_store(store: Store) -> dict:
    return {
        "store": {
            "name": store.name, "slug": store.slug, "currency": store.currency, "timezone": store.timezone,
            "locale": store.locale, "allowed_origins": store.allowed_origins, "bot_name": store.bot_name,
            "brand_color": store.brand_color, "created_at": store.created_at.isoformat(),
        },
        "team": [
            {"email": m.user.email, "name": m.user.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(store=store).select_related("user")
        ],
        "open_invitations": list(
            Invitation.objects.filter(store=store, accepted_at__isnull=True).values("email", "role", "expires_at")
        ),
        "api_keys": list(
            ApiKey.objects.filter(store=store).values("name", "prefix", "role", "created_at", "revoked_at")
        ),
    }  # fmt: skip


HANDLER = PrivacyHandler(name="tenants", export_store=export_store)
