from rest_framework import serializers

from integrations.models import Connection, Platform


class ConnectionSerializer(serializers.ModelSerializer):
    """A store's shop connection and sync status. Credentials never leave; ``credential_hint`` is their tail."""

    connected = serializers.BooleanField(source="is_connected", read_only=True)

    class Meta:
        model = Connection
        fields = [
            "platform", "shop", "shop_name", "connected", "credential_hint", "token_expires_at", "connected_at",
            "disconnected_at", "sync_status", "sync_full", "sync_started_at", "last_synced_at", "last_error",
            "last_error_at", "progress", "counts",
        ]  # fmt: skip
        read_only_fields = fields


class ConnectSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    shop = serializers.CharField(max_length=255, required=False, help_text="Shopify: the shop's myshopify.com domain.")
    token = serializers.CharField(max_length=255, write_only=True, required=False,
                                  help_text="Shopify: an Admin API access token.")  # fmt: skip
    url = serializers.CharField(max_length=255, required=False, help_text="WooCommerce: the site's address.")
    key = serializers.CharField(max_length=255, write_only=True, required=False,
                                help_text="WooCommerce: the REST API consumer key (ck_...).")  # fmt: skip
    secret = serializers.CharField(max_length=255, write_only=True, required=False,
                                   help_text="WooCommerce: the REST API consumer secret (cs_...).")  # fmt: skip

    def validate(self, attrs):
        needed = ("shop", "token") if attrs["platform"] == Platform.SHOPIFY else ("url", "key", "secret")
        missing = {name: "This field is required." for name in needed if not attrs.get(name)}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class SyncRequestSerializer(serializers.Serializer):
    full = serializers.BooleanField(default=False, help_text="Re-read everything and drop what the shop deleted.")
