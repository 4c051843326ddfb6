"""Every write to users, stores, teams and keys goes through here: ``verb_noun(store, ..., *, kw)``."""

import hashlib
import io
import ipaddress
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from tenants import hours, privacy
from tenants.models import (
    ApiKey,
    Invitation,
    Membership,
    Role,
    Store,
    User,
    UserSession,
    hash_token,
    new_identity_secret,
    new_public_key,
)
from tenants.origins import normalize_origins
from tenants.signals import member_removed

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_SIZE = 256


# --- Accounts and stores -----------------------------------------------------------------------


def suggest_slug(name: str) -> str:
    """A free store address derived from the name: ``acme``, then ``acme-2``…"""
    base = slugify(name)[:40].strip("-") or "store"
    slug, n = base, 1
    while Store.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


SLUG_TAKEN = "That store address is taken; choose another."


def _save_store(store: Store) -> None:
    """Validate and save; a taken slug (checked, or lost in a race) is a field error, not a crash."""
    store.full_clean(validate_unique=False)
    if Store.objects.filter(slug=store.slug).exclude(pk=store.pk).exists():
        raise ValidationError({"slug": SLUG_TAKEN})
    try:
        with transaction.atomic():
            store.save()
    except IntegrityError:
        raise ValidationError({"slug": SLUG_TAKEN}) from None


@transaction.atomic
def create_store(owner: User, *, name: str, slug: str = "", **fields) -> Store:
    """Create a store with ``owner`` as its owner. A taken slug raises ValidationError on ``slug``."""
    store = Store(name=name.strip(), slug=slug or suggest_slug(name), **fields)
    _save_store(store)
    Membership.objects.create(store=store, user=owner, role=Role.OWNER)
    return store


@transaction.atomic
def sign_up(*, email: str, password: str, name: str, store_name: str, store_slug: str = "") -> tuple[User, Store]:
    """A new user with a new store they own. Raises ValidationError with field errors."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email already exists. Log in instead."})
    user = User(email=email, name=name.strip())
    validate_password(password, user)
    user.set_password(password)
    user.save()
    store = create_store(user, name=store_name, slug=store_slug)
    return user, store


@transaction.atomic
def update_store_settings(store: Store, **fields) -> Store:
    """Change the editable settings named in ``fields``; validation errors change nothing."""
    editable = {
        "name", "slug", "allowed_origins", "brand_color", "bot_name", "currency", "timezone", "locale",
        "require_identity", "loyal_after_orders", "high_value_spend", "handoff_alert_minutes", "business_hours",
        "discount_codes_enabled", "discount_max_percent", "proactive_quiet_minutes", "proactive_cooldown_minutes",
        "attribution_window_days",
    }  # fmt: skip
    unknown = set(fields) - editable
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This setting cannot be changed here."))
    if "allowed_origins" in fields:
        fields["allowed_origins"] = normalize_origins(fields["allowed_origins"])
    if "business_hours" in fields:
        try:
            fields["business_hours"] = hours.clean_hours(fields["business_hours"])
        except ValidationError as exc:
            raise ValidationError({"business_hours": exc.messages}) from None
    store = Store.objects.select_for_update().get(pk=store.pk)
    for name, value in fields.items():
        setattr(store, name, value.strip() if isinstance(value, str) else value)
    if "brand_color" in fields:
        store.brand_color = store.brand_color.upper()
    _save_store(store)
    return store


def regenerate_public_key(store: Store) -> str:
    """A new widget key; pages still embedding the old one stop connecting."""
    store.public_key = new_public_key()
    store.save(update_fields=["public_key"])
    return store.public_key


def regenerate_identity_secret(store: Store) -> str:
    """A new identity-verification secret, returned once to be shown once."""
    store.identity_secret = new_identity_secret()
    store.identity_secret_rotated_at = timezone.now()
    store.save(update_fields=["identity_secret", "identity_secret_rotated_at"])
    return store.identity_secret


def set_store_avatar(store: Store, upload) -> Store:
    """Store the bot's avatar as a square PNG, re-encoded so no script or metadata survives."""
    if upload is None:
        store.avatar, store.avatar_content_type, store.avatar_digest = None, "", ""
    else:
        if upload.size > AVATAR_MAX_BYTES:
            raise ValidationError({"avatar": "The image is larger than 2 MB."})
        try:
            image = Image.open(upload)
            image.verify()
            upload.seek(0)
            image = Image.open(upload)
            image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
            raise ValidationError({"avatar": "Upload a PNG, JPEG, GIF or WebP image."}) from None
        if image.width * image.height > 40_000_000:
            raise ValidationError({"avatar": "The image is too large."})
        image = image.convert("RGBA")
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        image = image.crop((left, top, left + side, top + side)).resize((AVATAR_SIZE, AVATAR_SIZE))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        data = out.getvalue()
        store.avatar, store.avatar_content_type = data, "image/png"
        store.avatar_digest = hashlib.sha256(data).hexdigest()[:16]
    store.save(update_fields=["avatar", "avatar_content_type", "avatar_digest"])
    return store


def delete_store(store: Store, *, by: User) -> dict[str, int]:
    """Erase the store and everything every app holds for it. Owners only."""
    require_owner(store, by)
    return privacy.erase_store_data(store)


# --- Team --------------------------------------------------------------------------------------


def role_of(store: Store, user: User) -> str | None:
    return Membership.objects.filter(store=store, user=user).values_list("role", flat=True).first()


def require_owner(store: Store, user: User | None) -> None:
    """Raise unless ``user`` owns the store; API keys (``None``) never do."""
    if user is None or role_of(store, user) != Role.OWNER:
        raise PermissionDenied("Only an owner of this store can do this.")


def _check_can_grant(store: Store, by: User | None, role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"Choose one of: {', '.join(Role.values)}."})
    if role == Role.OWNER:
        require_owner(store, by)


@transaction.atomic
def invite_member(store: Store, *, email: str, role: str, invited_by: User | None) -> tuple[Invitation, str]:
    """Invite ``email`` with ``role``; the link is emailed after commit. Returns the invitation and token."""
    from tenants.tasks import send_invitation_email

    email = User.objects.normalize_email(email.strip()).lower()
    _check_can_grant(store, invited_by, role)
    if Membership.objects.filter(store=store, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already on this store's team."})
    # A new invitation to the same address replaces the open one (and its old link).
    Invitation.objects.filter(store=store, email__iexact=email, accepted_at__isnull=True).delete()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        store=store, email=email, role=role, token_hash=hash_token(token), invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )  # fmt: skip
    invitation.full_clean(exclude=["token_hash"])
    invitation.save()
    transaction.on_commit(lambda: send_invitation_email.delay(invitation.id, token))
    return invitation, token


def revoke_invitation(invitation: Invitation) -> None:
    invitation.delete()


def find_invitation(token: str) -> Invitation | None:
    """The open, unexpired invitation for ``token``, or None (the same for every kind of miss)."""
    invitation = (
        Invitation.objects.select_related("store")
        .filter(token_hash=hash_token(token), accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.is_expired:
        return None
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Join the store. The user's email must be the invited one: the link was a secret sent there."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.is_expired:
        raise ValidationError("This invitation has already been used or has expired.")
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(f"This invitation is for {invitation.email}. Log in with that address to accept it.")
    membership, _ = Membership.objects.get_or_create(
        store=invitation.store, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def sign_up_invited(invitation: Invitation, *, name: str, password: str) -> User:
    """Create the invited person's account (the email is the invitation's) and accept the invitation."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("An account with this email exists; log in to accept the invitation.")
    user = User(email=invitation.email, name=name.strip())
    validate_password(password, user)
    user.set_password(password)
    user.save()
    accept_invitation(invitation, user)
    return user


def _owner_count(store: Store) -> int:
    """Owners of the store, counted under a lock on the store row so two demotions cannot both pass."""
    list(Store.objects.select_for_update().filter(pk=store.pk).values_list("pk", flat=True))
    return Membership.objects.filter(store=store, role=Role.OWNER).count()


@transaction.atomic
def change_member_role(store: Store, membership: Membership, *, role: str, by: User | None) -> Membership:
    """Owners may change anyone; admins may change admins and agents but never grant or take ownership."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk, store=store)
    _check_can_grant(store, by, role)
    if membership.role == Role.OWNER:
        require_owner(store, by)
    if membership.role == Role.OWNER and role != Role.OWNER and _owner_count(store) <= 1:
        raise ValidationError({"role": "A store needs at least one owner. Make someone else an owner first."})
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(store: Store, membership: Membership, *, by: User | None) -> None:
    """Take someone off the team and end their signed-in sessions."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk, store=store)
    if membership.role == Role.OWNER:
        if by is None or by.pk != membership.user_id:
            require_owner(store, by)
        if _owner_count(store) <= 1:
            raise ValidationError("A store needs at least one owner. Make someone else an owner first.")
    user = membership.user
    membership.delete()
    store_id, user_id = store.pk, user.pk
    transaction.on_commit(lambda: member_removed.send(sender=Membership, store_id=store_id, user_id=user_id))
    if by is None or by.pk != user.pk:
        end_user_sessions(user)


# --- Sessions ----------------------------------------------------------------------------------


def track_session(user: User, session_key: str, *, ip: str | None, user_agent: str) -> None:
    try:
        ip = str(ipaddress.ip_address(ip or ""))
    except ValueError:
        ip = None
    UserSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "ip_address": ip, "user_agent": user_agent[:300]}
    )


def end_user_sessions(user: User, *, except_session_key: str | None = None) -> int:
    """Sign the user out everywhere (but the given session). Works for database-backed sessions."""
    tracked = UserSession.objects.filter(user=user)
    if except_session_key:
        tracked = tracked.exclude(session_key=except_session_key)
    keys = list(tracked.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    tracked.delete()
    return len(keys)


@transaction.atomic
def change_password(user: User, *, new_password: str, current_session_key: str | None) -> None:
    """Set a new password and end the user's other sessions (the caller keeps its own)."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    end_user_sessions(user, except_session_key=current_session_key)


# --- API keys ----------------------------------------------------------------------------------

API_KEY_PREFIX = "sbk_"


def create_api_key(store: Store, *, name: str, role: str = Role.ADMIN, created_by: User | None) -> tuple[ApiKey, str]:
    """A new key; the plain key is returned once and only its hash is stored."""
    if role not in (Role.ADMIN, Role.AGENT):
        raise ValidationError({"role": "An API key is either admin or agent."})
    if not name.strip():
        raise ValidationError({"name": "Name the key after what uses it."})
    plain = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        store=store, name=name.strip()[:80], prefix=plain[:12], key_hash=hash_token(plain), role=role,
        created_by=created_by,
    )  # fmt: skip
    return key, plain


def revoke_api_key(key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def authenticate_api_key(plain: str) -> ApiKey | None:
    """The active key for ``plain`` (with its store), or None."""
    if not plain.startswith(API_KEY_PREFIX):
        return None
    key = ApiKey.objects.select_related("store").filter(key_hash=hash_token(plain), revoked_at=None).first()
    if key is not None and (key.last_used_at is None or timezone.now() - key.last_used_at > timedelta(minutes=1)):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
