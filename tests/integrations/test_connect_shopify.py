"""Connecting a store: a pasted token, the OAuth install (HMAC, state, code), token refresh, disconnecting."""

import hashlib
import hmac
import json
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection as db
from django.urls import reverse
from django.utils import timezone

from integrations import services
from integrations.models import Connection, Product
from integrations.sync import run_sync
from tests.conftest import logged_in
from tests.integrations.conftest import ALICE_SHOP, BOB_SHOP

pytestmark = pytest.mark.django_db


def stored_credentials(connection_id) -> str:
    with db.cursor() as cursor:
        cursor.execute("SELECT credentials FROM integrations_connection WHERE id = %s", [connection_id])
        return cursor.fetchone()[0]


def test_a_pasted_token_is_checked_stored_encrypted_and_starts_a_sync(alice_store, alice_shop, on_commit):
    alice_shop.add_product("Wool Socks")

    with on_commit(execute=True):
        connection = services.connect_shopify(
            alice_store, shop="https://Alice-Apparel.myshopify.com/", token="shpat_alice"
        )

    assert connection.shop == ALICE_SHOP and connection.shop_name == "Alice's Apparel"
    assert connection.credential_hint == "…lice"
    assert "shpat_alice" not in stored_credentials(connection.pk)
    assert Connection.objects.get(pk=connection.pk).secrets()["access_token"] == "shpat_alice"
    assert Product.objects.filter(store=alice_store, title="Wool Socks").exists()


def test_a_wrong_token_is_refused_with_a_clear_error_and_nothing_saved(alice_store, alice_shop):
    with pytest.raises(ValidationError) as caught:
        services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_wrong")
    assert "refused this access token" in caught.value.message_dict["token"][0]
    assert not Connection.objects.filter(store=alice_store).exists()


def test_a_domain_that_is_not_a_shop_is_refused(alice_store, fake):
    with pytest.raises(ValidationError) as caught:
        services.connect_shopify(alice_store, shop="nobody-here.myshopify.com", token="shpat_x")
    assert "not a Shopify shop" in caught.value.message_dict["shop"][0]
    with pytest.raises(ValidationError, match=r"myshopify\.com domain"):
        services.connect_shopify(alice_store, shop="alice.example.com", token="shpat_x")


def test_connecting_another_shop_clears_the_old_mirror(alice_store, alice_shop, bob_shop, on_commit):
    alice_shop.add_product("From Alice's shop")
    bob_shop.add_product("From Bob's shop")
    with on_commit(execute=True):
        services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_alice")
    with on_commit(execute=True):
        services.connect_shopify(alice_store, shop=BOB_SHOP, token="shpat_bob")
    assert list(Product.objects.filter(store=alice_store).values_list("title", flat=True)) == ["From Bob's shop"]


def test_disconnecting_deletes_the_credentials_and_keeps_the_mirror(alice_store, alice_connection, alice_shop):
    alice_shop.add_product("Beanie")
    run_sync(alice_connection.pk)

    services.disconnect_store(alice_store)

    connection = Connection.objects.get(pk=alice_connection.pk)
    assert not connection.is_connected and stored_credentials(connection.pk) == ""
    assert connection.credential_hint == ""
    assert Product.objects.filter(store=alice_store).count() == 1
    assert not run_sync(connection.pk).ran


# --- OAuth -----------------------------------------------------------------------------------------


def signed(params: dict, secret: str) -> dict:
    """Shopify's callback signature: hex HMAC-SHA256 of the other parameters, sorted, as k=v joined by &."""
    message = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    return {**params, "hmac": hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()}


def start_install(client, store, shop=ALICE_SHOP):
    response = client.post(reverse("shop_install", kwargs={"store_slug": store.slug}), {"shop": shop})
    assert response.status_code == 302
    url = urlsplit(response.url)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    return url, query


def callback_params(fake, shop, state, **changes):
    params = {"code": shop.issue_code(), "shop": shop.domain, "state": state, "timestamp": str(int(time.time()))}
    params.update(changes)
    return signed(params, fake.api_secret)


def test_the_install_flow_connects_with_an_expiring_token(alice, alice_store, alice_shop, fake, on_commit):
    client = logged_in(alice)
    url, query = start_install(client, alice_store)
    assert url.netloc == ALICE_SHOP and url.path == "/admin/oauth/authorize"
    assert query["client_id"] == fake.api_key and "read_orders" in query["scope"]
    assert query["redirect_uri"].endswith(reverse("shopify_callback"))

    with on_commit(execute=True):
        response = client.get(reverse("shopify_callback"), callback_params(fake, alice_shop, query["state"]))

    assert response.status_code == 302 and response.url == reverse("shop", kwargs={"store_slug": "alice"})
    connection = Connection.objects.get(store=alice_store)
    secrets = connection.secrets()
    assert secrets["access_token"].startswith("shpat_") and secrets["refresh_token"].startswith("shprt_")
    assert connection.token_expires_at > timezone.now() + timedelta(minutes=55)
    assert connection.sync_status == "ok"


def test_a_forged_hmac_is_refused(alice, alice_store, alice_shop, fake):
    client = logged_in(alice)
    _, query = start_install(client, alice_store)
    params = callback_params(fake, alice_shop, query["state"])
    params["code"] = alice_shop.issue_code()  # changed after signing

    response = client.get(reverse("shopify_callback"), params)

    assert response.status_code == 400 and b"not signed by Shopify" in response.content
    assert not Connection.objects.filter(store=alice_store).exists()


def test_a_callback_signed_with_another_secret_is_refused(alice, alice_store, alice_shop, fake):
    client = logged_in(alice)
    _, query = start_install(client, alice_store)
    params = signed({"code": alice_shop.issue_code(), "shop": ALICE_SHOP, "state": query["state"],
                     "timestamp": str(int(time.time()))}, "not-the-app-secret")  # fmt: skip
    assert client.get(reverse("shopify_callback"), params).status_code == 400
    assert not Connection.objects.filter(store=alice_store).exists()


def test_a_state_that_does_not_match_the_browser_is_refused(alice, alice_store, alice_shop, fake):
    client = logged_in(alice)
    start_install(client, alice_store)

    response = client.get(reverse("shopify_callback"), callback_params(fake, alice_shop, "someone-elses-state"))

    assert response.status_code == 400 and b"not started from this browser" in response.content
    assert not Connection.objects.filter(store=alice_store).exists()


def test_an_old_callback_is_refused(alice, alice_store, alice_shop, fake):
    client = logged_in(alice)
    _, query = start_install(client, alice_store)
    params = callback_params(fake, alice_shop, query["state"], timestamp=str(int(time.time()) - 2 * 86400))
    assert client.get(reverse("shopify_callback"), params).status_code == 400


def test_a_callback_without_an_install_started_here_is_refused(bob, bob_store, alice_store, alice_shop, fake):
    response = logged_in(bob).get(reverse("shopify_callback"), callback_params(fake, alice_shop, "x"))
    assert response.status_code == 400
    assert not Connection.objects.exists()


def test_an_install_for_another_shop_than_asked_is_refused(alice, alice_store, alice_shop, bob_shop, fake):
    client = logged_in(alice)
    _, query = start_install(client, alice_store)
    response = client.get(reverse("shopify_callback"), callback_params(fake, bob_shop, query["state"]))
    assert response.status_code == 400 and b"different shop" in response.content


def _expiring_connection(store, shop, fake, *, minutes_left):
    code = shop.issue_code()
    tokens = fake.token_request(shop, {"client_id": fake.api_key, "client_secret": fake.api_secret, "code": code,
                                       "expiring": "1"})[1]  # fmt: skip
    return Connection.objects.create(
        store=store, platform="shopify", shop=shop.domain,
        credentials=json.dumps({"access_token": tokens["access_token"], "refresh_token": tokens["refresh_token"]}),
        token_expires_at=timezone.now() + timedelta(minutes=minutes_left),
    )  # fmt: skip


def test_an_expiring_token_is_refreshed_before_a_sync_and_the_new_pair_saved(alice_store, alice_shop, fake):
    connection = _expiring_connection(alice_store, alice_shop, fake, minutes_left=2)
    old = connection.secrets()
    alice_shop.add_product("Mittens")

    assert run_sync(connection.pk).error == ""

    connection.refresh_from_db()
    new = connection.secrets()
    assert new["access_token"] != old["access_token"] and new["refresh_token"] != old["refresh_token"]
    assert connection.token_expires_at > timezone.now() + timedelta(minutes=55)
    assert {e["token"] for e in alice_shop.log} == {new["access_token"]}


def test_a_token_with_time_left_is_not_refreshed(alice_store, alice_shop, fake):
    connection = _expiring_connection(alice_store, alice_shop, fake, minutes_left=40)
    before = connection.secrets()
    run_sync(connection.pk)
    connection.refresh_from_db()
    assert connection.secrets() == before


def test_a_refused_refresh_fails_the_sync_with_a_clear_error(alice_store, alice_shop, fake):
    connection = _expiring_connection(alice_store, alice_shop, fake, minutes_left=1)
    alice_shop.refresh_tokens.clear()  # revoked

    result = run_sync(connection.pk)

    assert "refused to issue a token" in result.error and "Install the app again" in result.error
    assert Connection.objects.get(pk=connection.pk).sync_status == "failed"
