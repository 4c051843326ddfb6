from rest_framework import serializers

from tenants.models import CURRENCIES, ApiKey, Invitation, Locale, Membership, Role, Store, User


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name"]


class StoreSerializer(serializers.ModelSerializer):
    """A store's settings. Writes go through ``update_store_settings``, which validates them."""

    allowed_origins = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    currency = serializers.ChoiceField(choices=CURRENCIES, required=False)
    locale = serializers.ChoiceField(choices=Locale.choices, required=False)
    avatar_url = serializers.CharField(read_only=True)

    class Meta:
        model = Store
        fields = [
            "slug", "name", "public_key", "allowed_origins", "brand_color", "bot_name", "avatar_url",
            "currency", "timezone", "locale", "require_identity", "loyal_after_orders", "high_value_spend", "is_demo",
            "identity_secret_rotated_at", "created_at", "handoff_alert_minutes", "business_hours",
            "discount_codes_enabled", "discount_max_percent", "proactive_quiet_minutes", "proactive_cooldown_minutes",
            "attribution_window_days",
        ]  # fmt: skip
        read_only_fields = ["public_key", "is_demo", "identity_secret_rotated_at", "created_at"]
        extra_kwargs = {"slug": {"validators": []}}


class MyStoreSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True)

    class Meta:
        model = Store
        fields = ["slug", "name", "role"]


class NewStoreSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    slug = serializers.SlugField(max_length=50, required=False, allow_blank=True)


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]
        read_only_fields = ["id", "user", "created_at"]


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    invited_by = UserSerializer(read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "created_at", "expires_at"]
        read_only_fields = ["id", "invited_by", "created_at", "expires_at"]


class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "role", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]


class NewApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once: store it now.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class SecretSerializer(serializers.Serializer):
    identity_secret = serializers.CharField(help_text="Shown once: store it now.")


class PublicKeySerializer(serializers.Serializer):
    public_key = serializers.CharField()
