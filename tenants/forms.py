from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from tenants import throttle
from tenants.hours import format_hours, parse_hours
from tenants.models import Locale, Role, Store, timezone_choices
from tenants.origins import normalize_origins


class SignupForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Work email")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, help_text="At least 10 characters.")
    store_name = forms.CharField(label="Store name", max_length=100)
    store_slug = forms.SlugField(
        label="Dashboard address", max_length=50, required=False,
        help_text="Letters, numbers and hyphens; leave empty to derive it from the store name.",
    )  # fmt: skip


class LoginForm(AuthenticationForm):
    """Django's log-in form, refusing for a while after repeated failures from the same place."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed log-in attempts. Wait a few minutes, or reset your password.",
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        ip = throttle.client_ip(self.request)
        if throttle.login_blocked(email, ip):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            if email:
                throttle.record_login_failure(email, ip)
            raise
        throttle.clear_login_failures(email, ip)
        return cleaned


class NewStoreForm(forms.Form):
    name = forms.CharField(label="Store name", max_length=100)
    slug = forms.SlugField(label="Dashboard address", max_length=50, required=False)


class StoreSettingsForm(forms.ModelForm):
    allowed_origins = forms.CharField(
        label="Sites the widget may appear on", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, e.g. https://shop.example.com or https://*.example.com.",
    )  # fmt: skip
    timezone = forms.ChoiceField(choices=timezone_choices)
    locale = forms.ChoiceField(label="Widget language", choices=Locale.choices)
    avatar = forms.ImageField(label="Bot avatar", required=False, help_text="PNG, JPEG, GIF or WebP, up to 2 MB.")
    remove_avatar = forms.BooleanField(label="Remove the avatar", required=False)
    handoff_alert_minutes = forms.IntegerField(
        label="Email the team when a handoff has waited this many minutes", min_value=0, max_value=1440,
        required=False, help_text="0: never. Every member of the team gets the email, once per handoff.",
    )  # fmt: skip
    business_hours = forms.CharField(
        label="Business hours (in the store's time zone)", required=False, widget=forms.Textarea(attrs={"rows": 7}),
        help_text="One line a day, e.g. “mon 09:00-12:00 13:00-17:00” or “sun closed”. Empty: always open. "
        "Outside them a handoff tells the shopper when a person will answer and asks for their email.",
    )  # fmt: skip

    class Meta:
        model = Store
        fields = [
            "name", "slug", "bot_name", "brand_color", "currency", "timezone", "locale", "require_identity",
            "loyal_after_orders", "high_value_spend", "handoff_alert_minutes", "business_hours",
            "discount_codes_enabled", "discount_max_percent", "proactive_quiet_minutes", "proactive_cooldown_minutes",
            "attribution_window_days",
        ]  # fmt: skip
        widgets = {"brand_color": forms.TextInput(attrs={"type": "color"})}
        labels = {
            "slug": "Dashboard address", "bot_name": "Bot name", "brand_color": "Brand colour",
            "require_identity": "Only accept signed customer logins in the widget",
            "loyal_after_orders": "Loyal customer from this many orders",
            "high_value_spend": "High-value customer from this much spent",
            "discount_codes_enabled": "Let flows create unique discount codes in the shop",
            "discount_max_percent": "Largest discount a flow may create (%)",
            "proactive_quiet_minutes": "Proactive messages wait this many minutes after the last chat message",
            "proactive_cooldown_minutes": "At most one proactive message per shopper in this many minutes",
            "attribution_window_days": "Credit chats with orders placed within this many days",
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["allowed_origins"] = "\n".join(self.instance.allowed_origins)
            hours = self.instance.business_hours
            self.initial["business_hours"] = format_hours(hours) if hours else ""

    def clean_allowed_origins(self):
        try:
            return normalize_origins(self.cleaned_data["allowed_origins"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["allowed_origins"]) from None

    def clean_handoff_alert_minutes(self):
        value = self.cleaned_data["handoff_alert_minutes"]
        return self.instance.handoff_alert_minutes if value is None else value

    def clean_business_hours(self):
        return parse_hours(self.cleaned_data["business_hours"])

    def validate_unique(self):
        # update_store_settings owns uniqueness (it turns a race into the same form error).
        pass


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.AGENT)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What will use it, e.g. “Zapier”.")
    role = forms.ChoiceField(choices=[(Role.ADMIN, "Admin"), (Role.AGENT, "Agent")], initial=Role.ADMIN)


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=150, required=False)


class InvitedSignupForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 10 characters.")


class DeleteStoreForm(forms.Form):
    confirm = forms.CharField(label="Type the store's dashboard address to confirm")

    def __init__(self, *args, store, **kwargs):
        super().__init__(*args, **kwargs)
        self.store = store

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != self.store.slug:
            raise ValidationError(f"Type {self.store.slug} to confirm.")
        return self.cleaned_data["confirm"]
