"""Shopify's three mandatory privacy topics, and the same actions for an owner, through the privacy registry."""

import json

import pytest

from conversations import services as chat
from conversations.models import Contact, Message
from integrations import privacy_requests
from integrations.models import Connection, Customer, InboundWebhook, Order, PrivacyRequest
from tenants.models import Store
from tests.integrations.test_webhooks_in import SHOP, shop_connection  # noqa: F401
from tests.integrations.webhook_world import post_shopify, sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def john(alice_store, on_commit):
    """John (the shopper the samples name) has a customer record, an order, and a chat with the store."""
    Customer.objects.create(store=alice_store, platform_id="191167", email="john@example.com", first_name="John")
    Order.objects.create(store=alice_store, platform_id="299938", name="#1001", email="john@example.com",
                         total="10.00", currency="EUR", placed_at="2026-01-01T00:00:00Z")
    contact = chat.get_or_create_contact(alice_store)
    contact.email = "john@example.com"
    contact.save()
    with on_commit(execute=False):
        conversation = chat.start_conversation(contact)
        chat.post_shopper_message(conversation, text="Where is my order #1001?", client_id="c1")
    return contact


def request_body(name):
    body = sample("shopify", name)
    body["shop_domain"] = SHOP
    return body


def test_customers_redact_erases_the_shoppers_record_orders_contact_and_transcripts(
    client, alice_store, shop_connection, john, on_commit  # noqa: F811
):
    with on_commit(execute=True):
        response = post_shopify(client, "customers/redact", request_body("customers__redact"), shop=SHOP)

    assert response.status_code == 202
    assert not Customer.objects.filter(store=alice_store).exists()
    assert not Order.objects.filter(store=alice_store).exists()
    assert not Contact.objects.filter(store=alice_store).exists()
    assert not Message.objects.filter(conversation__store=alice_store).exists()
    logged = PrivacyRequest.objects.get(store=alice_store)
    assert logged.kind == "redact_shopper" and logged.source == "shopify" and logged.completed_at
    assert logged.result["erased"]["integrations"] >= 2


def test_a_repeated_redact_request_is_logged_once_and_erases_nothing_more(client, alice_store, shop_connection,  # noqa: F811
                                                                          john, on_commit):
    with on_commit(execute=True):
        post_shopify(client, "customers/redact", request_body("customers__redact"), shop=SHOP, event_id="e1")
        post_shopify(client, "customers/redact", request_body("customers__redact"), shop=SHOP, event_id="e2")

    assert PrivacyRequest.objects.count() == 2  # two Shopify events, each logged...
    assert not Contact.objects.filter(store=alice_store).exists()  # ...and the second had nothing left to do
    assert InboundWebhook.objects.filter(status="applied").count() == 2


def test_customers_data_request_keeps_an_export_of_every_apps_data_for_the_owner(client, alice_store,
                                                                                shop_connection, john, on_commit):  # noqa: F811
    with on_commit(execute=True):
        for event in ("e1", "e2"):  # Shopify retries: the same data_request id is done once
            post_shopify(client, "customers/data_request", request_body("customers__data_request"), shop=SHOP,
                         event_id=event)

    logged = PrivacyRequest.objects.get(store=alice_store)
    export = logged.result["export"]
    assert export["integrations"]["customers"][0]["email"] == "john@example.com"
    assert "Where is my order #1001?" in json.dumps(export)
    assert Contact.objects.filter(store=alice_store).exists()  # an export erases nothing


def test_shop_redact_erases_a_disconnected_store_and_keeps_the_log(client, alice_store, shop_connection, john,  # noqa: F811
                                                                   on_commit):
    with on_commit(execute=True):
        post_shopify(client, "app/uninstalled", sample("shopify", "app__uninstalled"), shop=SHOP)
    assert not Connection.objects.get(store=alice_store).is_connected

    with on_commit(execute=True):
        post_shopify(client, "shop/redact", request_body("shop__redact"), shop=SHOP)

    assert not Store.objects.filter(pk=alice_store.pk).exists()
    logged = PrivacyRequest.objects.get(kind="redact_shop")
    assert logged.store is None and logged.store_label == alice_store.name and logged.shop == SHOP


def test_shop_redact_leaves_a_store_that_is_still_connected(client, alice_store, shop_connection, john, on_commit):  # noqa: F811
    with on_commit(execute=True):
        post_shopify(client, "shop/redact", request_body("shop__redact"), shop=SHOP)

    assert Store.objects.filter(pk=alice_store.pk).exists() and Contact.objects.filter(store=alice_store).exists()
    assert "connected" in PrivacyRequest.objects.get(kind="redact_shop").note


def test_an_owner_can_erase_a_shopper_who_asks_by_email_in_this_store_only(alice_store, bob_store, john, alice):
    bobs = chat.get_or_create_contact(bob_store)
    bobs.email = "john@example.com"
    bobs.save()

    request = privacy_requests.request_from_owner(alice_store, kind="redact_shopper", email=" John@Example.com ",
                                                  requested_by=alice.email)

    assert request.source == "dashboard" and request.requested_by == alice.email
    assert not Contact.objects.filter(store=alice_store).exists()
    assert Contact.objects.filter(store=bob_store, email="john@example.com").exists()
