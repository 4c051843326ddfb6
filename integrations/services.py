"""Every write about a store's shop connection: connect, install, refresh, disconnect, ask for a sync."""

import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from integrations import mirror
from integrations.adapters import AuthError, PlatformError
from integrations.models import Connection, Platform, SyncStatus
from integrations.shopify import client as shopify_client
from integrations.shopify.sync import ShopifyAdapter
from integrations.woocommerce import client as woo_client
from integrations.woocommerce.sync import WooAdapter
from tenants.models import Store

# Refresh an expiring token this long before it runs out, so a sync never starts with a dying token.
REFRESH_MARGIN = timedelta(minutes=5)


def _hint(token: str) -> str:
    return f"…{token[-4:]}" if len(token) > 8 else "…"


def _check_shopify(shop: str, token: str):
    """Shopify's answer to a cheap query with these credentials; ValidationError saying what is wrong."""
    policy = shopify_client.RetryPolicy.from_settings()
    policy.delays = policy.delays[:1]  # an owner is waiting: one retry at most
    try:
        with shopify_client.shopify_session(shop, token):
            return ShopifyAdapter(shopify_client.GraphQLClient(shop, policy)).shop_info()
    except AuthError:
        raise ValidationError(
            {"token": "Shopify refused this access token. Copy the Admin API access token (shpat_…) of the app again."}
        ) from None
    except PlatformError as exc:
        raise ValidationError({"shop": str(exc)}) from None


@transaction.atomic
def _save_connection(store: Store, *, platform: str, shop: str, shop_name: str, secret: dict, **fields) -> Connection:
    """Store fresh credentials; a different shop than the mirror came from clears the mirror first."""
    connection = Connection.objects.select_for_update().filter(store=store).first()
    if connection is not None and (connection.platform, connection.shop) != (platform, shop):
        mirror.clear_mirror(store)
        connection.delete()
        connection = None
    if connection is None:
        connection = Connection(store=store)
    connection.platform, connection.shop, connection.shop_name = platform, shop, shop_name
    connection.credentials = json.dumps(secret)
    connection.credential_hint = _hint(secret.get("access_token") or secret.get("consumer_key", ""))
    connection.connected_at, connection.disconnected_at = timezone.now(), None
    connection.last_error = ""
    for name, value in fields.items():
        setattr(connection, name, value)
    connection.save()
    request_sync(connection, full=True)
    from integrations.tasks import register_webhooks

    transaction.on_commit(lambda: register_webhooks.delay(connection.pk))
    return connection


def connect_shopify(store: Store, *, shop: str, token: str) -> Connection:
    """Connect with an Admin API access token pasted from a custom app; checked with Shopify first."""
    shop = shopify_client.normalize_shop(shop)
    token = (token or "").strip()
    if not token:
        raise ValidationError({"token": "Paste the app's Admin API access token."})
    info = _check_shopify(shop, token)
    return _save_connection(
        store, platform=Platform.SHOPIFY, shop=shop, shop_name=info.name, secret={"access_token": token},
        token_expires_at=None, refresh_expires_at=None, scopes="",
    )  # fmt: skip


def connect_woocommerce(store: Store, *, url: str, key: str, secret: str) -> Connection:
    """Connect with a site's REST API consumer key and secret; checked with a read from the site first."""
    site = woo_client.normalize_site(url)
    key, secret = (key or "").strip(), (secret or "").strip()
    if not key.startswith("ck_") or not secret.startswith("cs_"):
        raise ValidationError({"key": "Paste the consumer key (ck_…) and consumer secret (cs_…) from WooCommerce → "
                                      "Settings → Advanced → REST API."})  # fmt: skip
    policy = woo_client.RetryPolicy.from_settings()
    policy.delays = policy.delays[:1]  # an owner is waiting: one retry at most
    try:
        info = WooAdapter(woo_client.WooClient(site, key, secret, policy)).shop_info()
    except AuthError:
        raise ValidationError({"key": "WooCommerce refused this consumer key and secret."}) from None
    except PlatformError as exc:
        raise ValidationError({"url": str(exc)}) from None
    connection = _save_connection(
        store, platform=Platform.WOOCOMMERCE, shop=site, shop_name=info.name,
        secret={"consumer_key": key, "consumer_secret": secret, "webhook_secret": secrets.token_urlsafe(32)},
        token_expires_at=None, refresh_expires_at=None, scopes="",
    )  # fmt: skip
    return connection


def register_webhooks(connection_id: int) -> int:
    """Subscribe the shop's webhooks to this store's receiver (pointed at PUBLIC_URL); returns how many were
    made or changed. A refusal is kept in the connection's last error; the periodic sync covers the gap."""
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None or not connection.is_connected:
        return 0
    try:
        if connection.platform == Platform.SHOPIFY:
            return _register_shopify_webhooks(refresh_credentials_if_due(connection))
        if connection.platform == Platform.WOOCOMMERCE:
            return _register_woo_webhooks(connection)
    except PlatformError as exc:
        hint = WEBHOOK_HINTS.get(connection.platform, "")
        Connection.objects.filter(pk=connection.pk).update(
            last_error=f"Webhooks could not be created on the {connection.get_platform_display()} side ({exc}); "
            f"the periodic sync keeps the mirror fresh meanwhile.{hint}", last_error_at=timezone.now()
        )  # fmt: skip
    return 0


WEBHOOK_HINTS = {
    Platform.WOOCOMMERCE: " Check that the key has Read/Write access.",
    Platform.SHOPIFY: " Shopify only delivers to a public https address: check PUBLIC_URL.",
}


def _register_shopify_webhooks(connection: Connection) -> int:
    from integrations.shopify import subscriptions

    url = settings.PUBLIC_URL + reverse("shopify_webhook")
    with shopify_client.shopify_session(connection.shop, connection.secrets().get("access_token", "")):
        done = subscriptions.register(shopify_client.GraphQLClient(connection.shop), callback_url=url)
    return done.created + done.updated


def _register_woo_webhooks(connection: Connection) -> int:
    from integrations.woocommerce import webhooks as woo_webhooks

    creds = connection.secrets()
    url = settings.PUBLIC_URL + reverse("woocommerce_webhook", kwargs={"connection_id": connection.pk})
    client = woo_client.WooClient(connection.shop, creds["consumer_key"], creds["consumer_secret"])
    return woo_webhooks.register(client, delivery_url=url, secret=creds["webhook_secret"])


def begin_shopify_install(shop: str, *, redirect_uri: str) -> tuple[str, str, str]:
    """(shop, state nonce, Shopify's approval URL). Keep the state in the owner's session for the callback."""
    shop = shopify_client.normalize_shop(shop)
    state = secrets.token_urlsafe(24)
    try:
        url = shopify_client.authorize_url(shop, state=state, redirect_uri=redirect_uri)
    except PlatformError as exc:
        raise ValidationError({"shop": str(exc)}) from None
    return shop, state, url


def finish_shopify_install(store: Store, *, params: dict[str, str], expected_state: str) -> Connection:
    """Check Shopify's callback (HMAC, state, shop) and trade its code for tokens. ValidationError if not."""
    if not shopify_client.callback_is_genuine(params):
        raise ValidationError("This link was not signed by Shopify, or it is more than a day old.")
    if not expected_state or not secrets.compare_digest(params.get("state", ""), expected_state):
        raise ValidationError("This install was not started from this browser. Start it again.")
    shop = shopify_client.normalize_shop(params.get("shop", ""))
    try:
        tokens = shopify_client.exchange_code(shop, params.get("code", ""))
    except PlatformError as exc:
        raise ValidationError(str(exc)) from None
    info = _check_shopify(shop, tokens.access_token)
    return _save_connection(
        store, platform=Platform.SHOPIFY, shop=shop, shop_name=info.name,
        secret={"access_token": tokens.access_token, "refresh_token": tokens.refresh_token},
        token_expires_at=tokens.expires_at, refresh_expires_at=tokens.refresh_expires_at, scopes=tokens.scope,
    )  # fmt: skip


def refresh_credentials_if_due(connection: Connection) -> Connection:
    """Trade the refresh token for a new access token when the current one expires within minutes.

    Shopify rotates the refresh token on every use, so refreshes are serialised on the connection row and
    the new pair is saved before anything uses it. Raises AuthError when Shopify refuses the refresh.
    """
    if not _refresh_due(connection):
        return connection
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        if not _refresh_due(locked):  # another worker refreshed it while we waited for the lock
            return locked
        refresh_token = locked.secrets().get("refresh_token", "")
        if not refresh_token:
            raise AuthError("The Shopify token expired and there is no refresh token. Install the app again.")
        tokens = shopify_client.refresh_access_token(locked.shop, refresh_token)
        locked.credentials = json.dumps({"access_token": tokens.access_token, "refresh_token": tokens.refresh_token})
        locked.credential_hint = _hint(tokens.access_token)
        locked.token_expires_at, locked.refresh_expires_at = tokens.expires_at, tokens.refresh_expires_at
        locked.save(update_fields=["credentials", "credential_hint", "token_expires_at", "refresh_expires_at"])
        return locked


def _refresh_due(connection: Connection) -> bool:
    expires = connection.token_expires_at
    return connection.platform == Platform.SHOPIFY and expires is not None and expires - timezone.now() < REFRESH_MARGIN


@transaction.atomic
def disconnect_store(store: Store) -> Connection | None:
    """Forget the store's credentials. The mirror stays (orders still answer questions) until another shop
    is connected; the row stays so the dashboard can say which shop it was."""
    connection = Connection.objects.select_for_update().filter(store=store).first()
    if connection is None:
        return None
    connection.credentials = ""
    connection.credential_hint = connection.scopes = ""
    connection.token_expires_at = connection.refresh_expires_at = None
    connection.disconnected_at = timezone.now()
    connection.cursors = {}
    connection.sync_status = SyncStatus.NEVER
    connection.save()
    return connection


def request_sync(connection: Connection, *, full: bool = False) -> None:
    """Queue a sync after the transaction commits (the task re-reads the connection)."""
    from integrations.tasks import sync_store

    if not connection.is_connected:
        raise ValidationError("Connect the store to its shop first.")
    Connection.objects.filter(pk=connection.pk).exclude(sync_status=SyncStatus.RUNNING).update(
        sync_status=SyncStatus.QUEUED
    )
    transaction.on_commit(lambda: sync_store.delay(connection.pk, full=full))
