"""Connecting a Shopify store subscribes its webhooks through the GraphQL Admin API, once, after commit."""

import pytest
from django.urls import reverse

from integrations import services
from integrations.models import Connection
from integrations.shopify.subscriptions import REGISTERED
from tests.conftest import logged_in
from tests.integrations.conftest import ALICE_SHOP
from tests.integrations.test_connect_shopify import callback_params, start_install

pytestmark = pytest.mark.django_db

CALLBACK = "https://shopbot.example/webhooks/shopify/"
TOPICS = ["PRODUCTS_CREATE", "PRODUCTS_UPDATE", "PRODUCTS_DELETE", "ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_PAID",
          "ORDERS_FULFILLED", "ORDERS_CANCELLED", "FULFILLMENTS_CREATE", "FULFILLMENTS_UPDATE", "CUSTOMERS_CREATE",
          "CUSTOMERS_UPDATE", "APP_UNINSTALLED"]  # fmt: skip


def subscribed(shop) -> list[tuple[str, str, str]]:
    return sorted((r["topic"], r["callbackUrl"], r["format"]) for r in shop.subscriptions.rows)


def creates(shop) -> int:
    return sum(1 for e in shop.log if e["operation"] == "WebhookSubscriptionCreate")


def test_connecting_with_a_token_subscribes_every_topic_once_to_the_public_webhook_address(
    alice_store, alice_shop, on_commit
):
    with on_commit(execute=True):
        connection = services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_alice")

    assert sorted(REGISTERED) == sorted(TOPICS)
    assert subscribed(alice_shop) == sorted((t, CALLBACK, "JSON") for t in TOPICS)
    assert all(e["token"] == "shpat_alice" for e in alice_shop.log)
    connection.refresh_from_db()
    assert connection.last_error == ""


def test_subscribing_waits_for_the_commit(alice_store, alice_shop, on_commit):
    with on_commit(execute=False) as queued:
        services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_alice")

    assert alice_shop.subscriptions.rows == [] and len(queued) == 2  # the first sync and the subscriptions


def test_connecting_again_subscribes_nothing_new(alice_store, alice_shop, on_commit):
    with on_commit(execute=True):
        services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_alice")
    assert creates(alice_shop) == len(TOPICS)

    with on_commit(execute=True):
        connection = services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_alice")
    assert services.register_webhooks(connection.pk) == 0  # and a retried task neither

    assert creates(alice_shop) == len(TOPICS)
    assert subscribed(alice_shop) == sorted((t, CALLBACK, "JSON") for t in TOPICS)


def test_a_subscription_already_pointing_here_in_xml_is_switched_to_json_and_others_are_left_alone(
    alice_store, alice_shop, on_commit
):
    xml = alice_shop.subscriptions.add("ORDERS_PAID", CALLBACK, "XML")
    theirs = alice_shop.subscriptions.add("ORDERS_PAID", "https://crm.example/hooks", "JSON")

    with on_commit(execute=True):
        services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_alice")

    assert xml["format"] == "JSON" and theirs["callbackUrl"] == "https://crm.example/hooks"
    assert [r["topic"] for r in alice_shop.subscriptions.rows].count("ORDERS_PAID") == 2
    assert creates(alice_shop) == len(TOPICS) - 1


def test_the_install_flow_subscribes_the_webhooks_with_the_new_token(alice, alice_store, alice_shop, fake, on_commit):
    client = logged_in(alice)
    _, query = start_install(client, alice_store)
    with on_commit(execute=True):
        client.get(reverse("shopify_callback"), callback_params(fake, alice_shop, query["state"]))

    connection = Connection.objects.get(store=alice_store)
    assert subscribed(alice_shop) == sorted((t, CALLBACK, "JSON") for t in TOPICS)
    assert {e["token"] for e in alice_shop.log if e["operation"].startswith("Webhook")} == {
        connection.secrets()["access_token"]
    }


def test_a_refused_subscription_leaves_the_store_connected_and_says_why(alice_store, alice_shop, on_commit, settings):
    settings.PUBLIC_URL = "http://localhost:8000"
    with on_commit(execute=True):
        connection = services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_alice")

    connection.refresh_from_db()
    assert connection.is_connected and connection.sync_status == "ok"
    assert "Webhooks could not be created on the Shopify side" in connection.last_error
    assert "Address protocol http:// is not supported" in connection.last_error
    assert "check PUBLIC_URL" in connection.last_error
    assert alice_shop.subscriptions.rows == []


def test_a_shop_refusing_a_subscription_is_shown_with_the_topic_and_shopifys_words(alice_store, alice_shop, on_commit):
    alice_shop.subscriptions.refuse = "Access denied for webhookSubscriptionCreate field."
    with on_commit(execute=True):
        connection = services.connect_shopify(alice_store, shop=ALICE_SHOP, token="shpat_alice")

    connection.refresh_from_db()
    assert "Shopify refused the PRODUCTS_CREATE subscription: Access denied" in connection.last_error
