"""The shop page, the REST API and the operator commands, as owners and operators use them."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from integrations.models import Connection, Product
from integrations.sync import run_sync
from tests.integrations.conftest import ALICE_SHOP

pytestmark = pytest.mark.django_db


def test_the_shop_page_shows_the_sync_status_and_never_the_token(
    alice_client, alice_store, alice_connection, alice_shop
):
    alice_shop.add_product("Rain Jacket")
    run_sync(alice_connection.pk)

    page = alice_client.get(reverse("shop", kwargs={"store_slug": "alice"})).content.decode()

    assert ALICE_SHOP in page and "Up to date" in page
    assert "shpat_alice" not in page
    assert "<td>1</td>" in page  # one product mirrored


def test_the_shop_page_shows_the_last_error(alice_client, alice_connection, alice_shop):
    alice_shop.tokens.clear()
    run_sync(alice_connection.pk)
    page = alice_client.get(reverse("shop", kwargs={"store_slug": "alice"})).content.decode()
    assert "Failed" in page and "refused the access token" in page


def test_connecting_from_the_dashboard_with_a_wrong_token_says_so(alice_client, alice_store, alice_shop):
    response = alice_client.post(
        reverse("shop_connect", kwargs={"store_slug": "alice"}), {"shop": ALICE_SHOP, "token": "shpat_nope"}
    )
    assert response.status_code == 400
    assert "refused this access token" in response.content.decode()
    assert "shpat_nope" not in response.content.decode()  # the password field is not echoed back
    assert not Connection.objects.filter(store=alice_store).exists()


def test_connecting_from_the_dashboard_starts_the_first_sync(alice_client, alice_store, alice_shop, on_commit):
    alice_shop.add_product("Cap")
    with on_commit(execute=True):
        response = alice_client.post(
            reverse("shop_connect", kwargs={"store_slug": "alice"}), {"shop": ALICE_SHOP, "token": "shpat_alice"}
        )
    assert response.status_code == 302
    assert Product.objects.filter(store=alice_store, title="Cap").exists()


def test_sync_now_and_disconnect_buttons(alice_client, alice_store, alice_connection, alice_shop, on_commit):
    alice_shop.add_product("Scarf")
    with on_commit(execute=True):
        alice_client.post(reverse("shop_sync", kwargs={"store_slug": "alice"}), {"full": "on"})
    assert Product.objects.filter(store=alice_store).count() == 1

    alice_client.post(reverse("shop_disconnect", kwargs={"store_slug": "alice"}))
    assert not Connection.objects.get(store=alice_store).is_connected


def test_the_api_connects_reads_syncs_and_disconnects(alice_client, alice_store, alice_shop, on_commit):
    url = reverse("api:shop", kwargs={"store_slug": "alice"})
    assert alice_client.get(url).status_code == 404

    bad = alice_client.put(url, {"platform": "shopify", "shop": ALICE_SHOP, "token": "wrong"}, "application/json")
    assert bad.status_code == 400 and "token" in bad.json()["errors"]

    alice_shop.add_product("Gloves")
    with on_commit(execute=True):
        ok = alice_client.put(
            url, {"platform": "shopify", "shop": ALICE_SHOP, "token": "shpat_alice"}, "application/json"
        )
    assert ok.status_code == 200
    body = ok.json()
    assert body["connected"] and body["credential_hint"] == "…lice" and "shpat_alice" not in ok.content.decode()

    status = alice_client.get(url).json()
    assert status["sync_status"] == "ok" and status["counts"]["products"] == 1

    synced = alice_client.post(
        reverse("api:shop-sync", kwargs={"store_slug": "alice"}), {"full": True}, "application/json"
    )
    assert synced.status_code == 202

    assert alice_client.delete(url).status_code == 204
    assert alice_client.get(url).json()["connected"] is False


def test_the_api_asks_woocommerce_for_its_own_fields_not_shopifys(alice_client, alice_store):
    url = reverse("api:shop", kwargs={"store_slug": "alice"})
    response = alice_client.put(
        url, {"platform": "woocommerce", "shop": "https://x.example", "token": "t"}, "application/json"
    )
    assert response.status_code == 400 and {"url", "key", "secret"} <= set(response.json()["errors"])


def test_connect_store_and_sync_store_commands(alice_store, alice_shop, capsys):
    # The connection commits; its first sync is queued for a worker and runs here only as sync_store.
    for i in range(25):
        alice_shop.add_product(f"Poster {i}")

    call_command("connect_store", "alice", "shopify", "--shop", ALICE_SHOP, "--token", "shpat_alice")
    call_command("sync_store", "alice", "--full")

    out = capsys.readouterr().out
    assert "Connected alice to Alice's Apparel" in out and "…lice" in out and "shpat_alice" not in out
    assert "products     [##############################] 25/25" in out
    assert "Synced alice in" in out
    assert Product.objects.filter(store=alice_store).count() == 25


def test_the_commands_explain_what_is_wrong(alice_store, alice_shop):
    with pytest.raises(CommandError, match="refused this access token"):
        call_command("connect_store", "alice", "shopify", "--shop", ALICE_SHOP, "--token", "nope")
    with pytest.raises(CommandError, match="not connected"):
        call_command("sync_store", "alice")
    with pytest.raises(CommandError, match="no store"):
        call_command("connect_store", "nobody", "shopify", "--shop", ALICE_SHOP, "--token", "x")


def test_a_failing_sync_command_exits_with_the_error(alice_connection, alice_shop):
    alice_shop.tokens.clear()
    with pytest.raises(CommandError, match="refused the access token"):
        call_command("sync_store", "alice")


def test_the_shop_page_shows_a_running_syncs_progress(alice_client, alice_connection):
    from django.utils import timezone

    Connection.objects.filter(pk=alice_connection.pk).update(
        sync_status="running",
        sync_lease_until=timezone.now(),
        progress={"resource": "products", "done": 40, "total": 90},
    )
    page = alice_client.get(reverse("shop", kwargs={"store_slug": "alice"})).content.decode()
    assert "Running: products 40 of 90" in page


def test_agents_do_not_see_the_shop_page(agent_client, alice_connection):
    assert agent_client.get(reverse("shop", kwargs={"store_slug": "alice"})).status_code == 403
