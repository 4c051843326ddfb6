"""Users, stores (the tenant) and who may do what in a store."""

import hashlib
import secrets
import zoneinfo
from functools import cache

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from tenants.fields import EncryptedTextField

RESERVED_SLUGS = {"new", "api", "admin", "static", "www", "app", "demo-admin", "settings", "signup", "login"}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to the dashboard: an owner, an admin or an agent of one or more stores."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


def new_public_key() -> str:
    return "pk_" + secrets.token_urlsafe(18)


def new_identity_secret() -> str:
    return "is_" + secrets.token_urlsafe(32)


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


# ISO 4217 codes a store may sell in (the common ones; extend as stores ask).
CURRENCIES = [
    "AED", "ARS", "AUD", "BGN", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EGP", "EUR",
    "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KES", "KRW", "MAD", "MXN", "MYR", "NGN",
    "NOK", "NZD", "PEN", "PHP", "PKR", "PLN", "RON", "RSD", "SAR", "SEK", "SGD", "THB", "TRY", "TWD",
    "UAH", "USD", "VND", "ZAR",
]  # fmt: skip


class Locale(models.TextChoices):
    """Languages the shopper widget speaks."""

    EN = "en", "English"
    DE = "de", "Deutsch"
    FR = "fr", "Français"
    ES = "es", "Español"
    NL = "nl", "Nederlands"


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB, for example #4F46E5.")


def validate_timezone(value: str):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone we know, for example Europe/Berlin.")


def validate_slug(value: str):
    if value in RESERVED_SLUGS:
        raise ValidationError(f"“{value}” is reserved; choose another address.")


class Store(models.Model):
    """The tenant. Every per-store setting, threshold and window is a field here."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True, validators=[validate_slug])
    public_key = models.CharField(max_length=40, unique=True, default=new_public_key, editable=False)
    # Shown to the owner once, when made; kept encrypted because the widget's identity check needs it.
    identity_secret = EncryptedTextField(default=new_identity_secret, editable=False)
    identity_secret_rotated_at = models.DateTimeField(default=timezone.now, editable=False)
    allowed_origins = models.JSONField(default=list, blank=True)
    brand_color = models.CharField(max_length=7, default="#4F46E5", validators=[hex_colour])
    bot_name = models.CharField(max_length=40, default="Assistant")
    avatar = models.BinaryField(null=True, blank=True, editable=False)
    avatar_content_type = models.CharField(max_length=40, blank=True, editable=False)
    avatar_digest = models.CharField(max_length=16, blank=True, editable=False)
    currency = models.CharField(max_length=3, default="USD", choices=[(c, c) for c in CURRENCIES])
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    locale = models.CharField(max_length=8, choices=Locale.choices, default=Locale.EN)
    is_demo = models.BooleanField(default=False)
    # Widget identity: when on, a customer claim without a valid signature is refused (shoppers can still
    # chat anonymously); when off, an unsigned claim is ignored and the shopper stays anonymous.
    require_identity = models.BooleanField(default=False)
    # Contact segments: "loyal" from this many orders, "high value" from this much spent (store currency).
    loyal_after_orders = models.PositiveSmallIntegerField(default=3)
    high_value_spend = models.DecimalField(max_digits=12, decimal_places=2, default=500)
    # Below this similarity to a store's example phrases a message is off-topic and goes to the fallback.
    intent_threshold = models.FloatField(default=0.3)
    # The inbox: email the team when a handoff has waited this many minutes for a person (0: never).
    handoff_alert_minutes = models.PositiveSmallIntegerField(default=10)
    # When people answer, in the store's time zone: {"mon": [["09:00", "17:00"]], ...}; empty: always.
    business_hours = models.JSONField(default=dict, blank=True)
    # Checkout links: flows may create unique single-use discount codes on the shop (its API), up to this percent.
    discount_codes_enabled = models.BooleanField(default=False)
    discount_max_percent = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # Proactive messages (triggers, campaigns) wait while the shopper or an agent wrote this recently, and
    # reach one shopper at most once in this many minutes, whatever their caps allow.
    proactive_quiet_minutes = models.PositiveSmallIntegerField(default=5, validators=[MaxValueValidator(24 * 60)])
    proactive_cooldown_minutes = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)]
    )
    # Revenue attribution: an order counts for a chat when the contact places it within this many days after it.
    attribution_window_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("store_home", kwargs={"store_slug": self.slug})

    @property
    def avatar_url(self) -> str:
        if not self.avatar_digest:
            return ""
        return reverse("store_avatar", kwargs={"public_key": self.public_key, "digest": self.avatar_digest})


class Role(models.TextChoices):
    """Ordered from least to most power; compare with ``Role.rank``."""

    AGENT = "agent", "Agent"
    ADMIN = "admin", "Admin"
    OWNER = "owner", "Owner"

    @classmethod
    def rank(cls, role: str) -> int:
        return [cls.AGENT, cls.ADMIN, cls.OWNER].index(role)

    @classmethod
    def at_least(cls, role: str, required: str) -> bool:
        return cls.rank(role) >= cls.rank(required)


class Membership(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "user"], name="membership_unique")]
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.store}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An emailed link that adds its holder to a store with a role. Only the token's hash is kept."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "store", Lower("email"), condition=models.Q(accepted_at__isnull=True), name="invitation_open_unique"
            )
        ]

    def __str__(self):
        return f"{self.email} to {self.store}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class ApiKey(models.Model):
    """A key for scripts, bound to one store. Only a hash is kept; the key is shown once."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(
        max_length=10, choices=[(Role.ADMIN, Role.ADMIN.label), (Role.AGENT, Role.AGENT.label)], default=Role.ADMIN
    )
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class UserSession(models.Model):
    """A signed-in browser, so that a user's other sessions can be listed and ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"
