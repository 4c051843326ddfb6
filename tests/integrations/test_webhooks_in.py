"""Webhooks in from both platforms: signatures on the raw body, dedupe, ordering, and the real sample bodies."""

import copy
import json

import pytest

from integrations.models import Connection, Customer, Fulfillment, InboundWebhook, Order, Product, Variant
from tests.integrations.webhook_world import APP_SECRET, WOO_SECRET, post_shopify, post_woo, sample
from tests.integrations.woo_world import connect_woo

pytestmark = pytest.mark.django_db
SHOP = "alice-apparel.myshopify.com"


@pytest.fixture
def shop_connection(alice_store, settings):
    settings.SHOPIFY_API_SECRET = APP_SECRET
    return Connection.objects.create(store=alice_store, platform="shopify", shop=SHOP,
                                     credentials=json.dumps({"access_token": "shpat_alice"}))


@pytest.fixture
def woo_connection(alice_store, woo, alice_site):
    connection = connect_woo(alice_store, woo, alice_site)
    connection.credentials = json.dumps({**connection.secrets(), "webhook_secret": WOO_SECRET})
    connection.save()
    return connection


def statuses(store):
    return list(InboundWebhook.objects.filter(store=store).order_by("id").values_list("topic", "status"))


def test_a_signed_shopify_product_update_is_answered_at_once_and_applied_in_the_background(
    client, alice_store, shop_connection, on_commit
):
    with on_commit(execute=True):
        response = post_shopify(client, "products/update", sample("shopify", "products__update"), shop=SHOP)

    assert response.status_code == 202
    product = Product.objects.get(store=alice_store, platform_id="788032119674292922")
    assert product.title == "Example T-Shirt" and product.tags == ["example", "mens", "t-shirt"]
    assert sorted(Variant.objects.filter(product=product).values_list("title", flat=True)) == ["Medium", "Small"]
    assert statuses(alice_store) == [("products/update", "applied")]


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSBzaWduYXR1cmU=", "wrong-secret", "truncated"])
def test_a_bad_or_missing_shopify_signature_gets_401_and_stores_nothing(client, alice_store, shop_connection,
                                                                          on_commit, signature):
    raw = json.dumps(sample("shopify", "orders__create")).encode()
    with on_commit(execute=True):
        if signature == "wrong-secret":
            response = post_shopify(client, "orders/create", raw, shop=SHOP, secret="another-apps-secret")
        elif signature == "truncated":  # signed whole, cut off on the way
            from tests.integrations.webhook_world import hmac_b64

            response = post_shopify(client, "orders/create", raw[:-40], shop=SHOP, signature=hmac_b64(APP_SECRET, raw))
        else:
            response = post_shopify(client, "orders/create", raw, shop=SHOP, signature=signature)

    assert response.status_code == 401
    assert not InboundWebhook.objects.exists() and not Order.objects.exists()


def test_a_replayed_shopify_delivery_is_answered_but_applied_once(client, alice_store, shop_connection, on_commit):
    body = sample("shopify", "customers__update")
    with on_commit(execute=True) as ran:
        first = post_shopify(client, "customers/update", body, shop=SHOP, event_id="evt-1")
        again = post_shopify(client, "customers/update", body, shop=SHOP, event_id="evt-1")

    assert (first.status_code, again.status_code) == (202, 200)
    assert "received before" in again.json()["detail"]
    assert len(ran) == 1 and InboundWebhook.objects.count() == 1
    assert Customer.objects.get(store=alice_store).email == "bob@biller.com"


def test_an_older_order_update_arriving_after_a_newer_one_never_rolls_the_mirror_back(
    client, alice_store, shop_connection, on_commit
):
    newer = sample("shopify", "orders__updated")
    newer.update(updated_at="2026-03-02T10:00:00Z", financial_status="refunded")
    older = copy.deepcopy(newer)
    older.update(updated_at="2026-03-01T10:00:00Z", financial_status="paid")

    with on_commit(execute=True):
        post_shopify(client, "orders/updated", newer, shop=SHOP)
        post_shopify(client, "orders/paid", older, shop=SHOP)

    assert Order.objects.get(store=alice_store).financial_status == "refunded"
    assert statuses(alice_store) == [("orders/updated", "applied"), ("orders/paid", "skipped")]


def test_an_unknown_topic_is_answered_and_nothing_is_stored(client, shop_connection, on_commit):
    response = post_shopify(client, "carts/update", sample("shopify", "carts__update"), shop=SHOP)

    assert response.status_code == 200 and "not one this app handles" in response.json()["detail"]
    assert not InboundWebhook.objects.exists()


def test_a_body_that_is_not_json_is_refused_even_when_signed(client, shop_connection):
    response = post_shopify(client, "orders/create", b"{\"id\": 1, \"line_it", shop=SHOP)

    assert response.status_code == 400 and not InboundWebhook.objects.exists()


@pytest.mark.parametrize("topic", ["products/create", "products/delete", "customers/create", "orders/create",
                                   "orders/paid", "orders/fulfilled", "orders/cancelled", "fulfillments/create"])
def test_every_sample_body_shopify_sends_is_processed_without_error(client, alice_store, shop_connection, on_commit,
                                                                     topic):
    with on_commit(execute=True):
        post_shopify(client, "orders/create", sample("shopify", "orders__create"), shop=SHOP)
        response = post_shopify(client, topic, sample("shopify", topic.replace("/", "__")), shop=SHOP)

    assert response.status_code == 202
    hook = InboundWebhook.objects.filter(store=alice_store, topic=topic).latest("id")
    assert hook.status in ("applied", "skipped"), hook.note


def test_an_order_then_its_fulfillment_give_the_shopper_the_tracking_number(client, alice_store, shop_connection,
                                                                              on_commit):
    order = sample("shopify", "orders__create")
    fulfillment = sample("shopify", "fulfillments__create")
    fulfillment["order_id"] = int(order["admin_graphql_api_id"].rsplit("/", 1)[1])
    with on_commit(execute=True):
        post_shopify(client, "orders/create", order, shop=SHOP)
        post_shopify(client, "fulfillments/create", fulfillment, shop=SHOP)

    assert Fulfillment.objects.get(store=alice_store).tracking_number == "1z827wk74630"


def test_app_uninstalled_disconnects_the_store(client, alice_store, shop_connection, on_commit):
    with on_commit(execute=True):
        post_shopify(client, "app/uninstalled", sample("shopify", "app__uninstalled"), shop=SHOP)

    assert not Connection.objects.get(store=alice_store).is_connected


# --- WooCommerce -----------------------------------------------------------------------------------


def test_woocommerces_unsigned_creation_ping_gets_its_200_and_stores_nothing(client, woo_connection):
    response = client.post(f"/webhooks/woocommerce/{woo_connection.pk}/", b"webhook_id=17",
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200 and not InboundWebhook.objects.exists()


def test_a_signed_woocommerce_product_update_is_applied(client, alice_store, woo_connection, on_commit):
    with on_commit(execute=True):
        response = post_woo(client, woo_connection, "product.updated",
                            sample("woocommerce", "products__03_retrieve_a_product"))

    assert response.status_code == 202
    product = Product.objects.get(store=alice_store, platform_id="794")
    assert product.title == "Premium Quality" and str(product.variants.get().price) == "21.99"


@pytest.mark.parametrize("how", ["missing", "wrong-secret", "another-connection"])
def test_a_woocommerce_delivery_not_signed_with_this_connections_secret_gets_401(client, alice_store, bob_store,
                                                                                  woo, woo_connection, how):
    body = sample("woocommerce", "orders__02_retrieve_an_order")
    if how == "missing":
        response = post_woo(client, woo_connection, "order.updated", body, signature="")
    elif how == "wrong-secret":
        response = post_woo(client, woo_connection, "order.updated", body, secret="guess")
    else:  # signed with Alice's secret, sent to Bob's address
        bob = connect_woo(bob_store, woo, woo.add_site("bob-wp"))
        response = post_woo(client, bob, "order.updated", body)

    assert response.status_code == 401 and not InboundWebhook.objects.exists()


def test_a_replayed_woocommerce_delivery_is_applied_once_and_an_older_one_is_skipped(
    client, alice_store, woo_connection, on_commit
):
    newer = sample("woocommerce", "orders__02_retrieve_an_order")
    newer.update(status="completed", date_modified_gmt="2026-03-02T10:00:00")
    older = copy.deepcopy(newer)
    older.update(status="processing", date_modified_gmt="2026-03-01T10:00:00")

    with on_commit(execute=True):
        post_woo(client, woo_connection, "order.updated", newer, delivery="41")
        replay = post_woo(client, woo_connection, "order.updated", newer, delivery="41")
        post_woo(client, woo_connection, "order.updated", older, delivery="40")

    assert replay.status_code == 200
    order = Order.objects.get(store=alice_store)
    assert order.fulfillment_status == "fulfilled"
    assert statuses(alice_store) == [("order.updated", "applied"), ("order.updated", "skipped")]
