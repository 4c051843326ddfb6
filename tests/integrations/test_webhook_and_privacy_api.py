"""The API for outbound endpoints, their deliveries, privacy requests, and connecting WooCommerce."""

import pytest

from conversations import services as chat
from conversations.models import Contact
from integrations.models import PrivacyRequest, WebhookEndpoint
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/s/alice"


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(alice_admin, settings):
    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    client = logged_in(alice_admin)

    created = client.post(f"{BASE}/webhook-endpoints/", {"url": "http://127.0.0.1:9/hook", "events": ["rating.given"]},
                          content_type="application/json")

    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")
    listed = client.get(f"{BASE}/webhook-endpoints/").json()["results"]
    assert [e["url"] for e in listed] == ["http://127.0.0.1:9/hook"] and "secret" not in listed[0]
    deliveries = client.get(f"{BASE}/webhook-endpoints/{created.json()['id']}/deliveries/")
    assert deliveries.status_code == 200 and deliveries.json() == []


def test_an_internal_endpoint_or_an_unknown_event_is_refused_with_the_reason(alice_client):
    internal = alice_client.post(f"{BASE}/webhook-endpoints/", {"url": "http://169.254.169.254/", "events":
                                 ["rating.given"]}, content_type="application/json")  # fmt: skip
    unknown = alice_client.post(f"{BASE}/webhook-endpoints/", {"url": "https://example.com/", "events": ["order.paid"]},
                                content_type="application/json")

    assert internal.status_code == 400 and "Refused" in str(internal.json())
    assert unknown.status_code == 400 and not WebhookEndpoint.objects.exists()


def test_agents_cannot_see_endpoints_and_admins_cannot_run_privacy_requests(agent_client, alice_admin):
    assert agent_client.get(f"{BASE}/webhook-endpoints/").status_code == 403
    response = logged_in(alice_admin).post(f"{BASE}/privacy-requests/", {"kind": "redact_shopper",
                                           "email": "x@example.com"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 403 and not PrivacyRequest.objects.exists()


def test_the_owner_erases_a_shopper_by_email_and_the_log_shows_it(alice_client, alice, alice_store):
    contact = chat.get_or_create_contact(alice_store)
    contact.email = "dana@example.com"
    contact.save()

    response = alice_client.post(f"{BASE}/privacy-requests/", {"kind": "redact_shopper", "email": "DANA@example.com"},
                                 content_type="application/json")

    assert response.status_code == 201
    assert response.json()["result"]["erased"]["conversations"] >= 1
    assert not Contact.objects.filter(store=alice_store).exists()
    log = alice_client.get(f"{BASE}/privacy-requests/").json()["results"]
    assert log[0]["requested_by"] == alice.email and log[0]["source"] == "dashboard"


def test_connecting_woocommerce_through_the_api_checks_the_keys(alice_client, woo, on_commit):
    woo.add_site("alice-wp", key="ck_alice", secret="cs_alice")
    url = woo.site_url("alice-wp")

    missing = alice_client.put(f"{BASE}/shop/", {"platform": "woocommerce", "url": url}, content_type="application/json")
    wrong = alice_client.put(f"{BASE}/shop/", {"platform": "woocommerce", "url": url, "key": "ck_alice",
                                               "secret": "cs_nope"}, content_type="application/json")  # fmt: skip
    with on_commit(execute=False):
        right = alice_client.put(f"{BASE}/shop/", {"platform": "woocommerce", "url": url, "key": "ck_alice",
                                                   "secret": "cs_alice"}, content_type="application/json")  # fmt: skip

    assert missing.status_code == 400 and "key" in missing.json()["errors"]
    assert wrong.status_code == 400 and "refused" in str(wrong.json())
    assert right.status_code == 200 and right.json()["platform"] == "woocommerce"
    assert "cs_alice" not in right.content.decode()


def test_the_webhooks_page_adds_an_endpoint_shows_its_deliveries_and_removes_it(alice_client, alice_store, settings):
    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    added = alice_client.post("/s/alice/webhooks/", {"url": "http://127.0.0.1:9/crm", "events": ["handoff.requested"]},
                              follow=True)
    assert added.status_code == 200 and "whsec_" in added.content.decode()
    endpoint = WebhookEndpoint.objects.get(store=alice_store)
    conversation = chat.start_conversation(chat.get_or_create_contact(alice_store))
    chat.hand_off(conversation)  # recorded; not sent (no commit hooks run here)

    page = alice_client.get("/s/alice/webhooks/").content.decode()
    assert "http://127.0.0.1:9/crm" in page and "handoff.requested" in page and "Pending" in page

    alice_client.post(f"/s/alice/webhooks/{endpoint.pk}/delete/")
    assert not WebhookEndpoint.objects.exists()


def test_the_webhooks_page_refuses_an_internal_address_with_the_reason(alice_client):
    response = alice_client.post("/s/alice/webhooks/", {"url": "http://10.1.2.3/", "events": ["rating.given"]})

    assert response.status_code == 400 and "Refused" in response.content.decode()


def test_the_privacy_page_erases_a_shopper_and_lists_it(alice_client, alice_store):
    contact = chat.get_or_create_contact(alice_store)
    contact.email = "dana@example.com"
    contact.save()

    response = alice_client.post("/s/alice/privacy/", {"email": "dana@example.com", "kind": "redact_shopper"},
                                 follow=True)

    assert response.status_code == 200 and "Shopper&#x27;s data erased" in response.content.decode()
    assert not Contact.objects.filter(store=alice_store).exists()


def test_the_shop_page_connects_a_woocommerce_site(alice_client, alice_store, woo, on_commit):
    woo.add_site("alice-wp", key="ck_alice", secret="cs_alice")
    with on_commit(execute=False):
        response = alice_client.post("/s/alice/shop/connect/woocommerce/", {"url": woo.site_url("alice-wp"),
                                     "key": "ck_alice", "secret": "cs_alice"}, follow=True)  # fmt: skip

    assert response.status_code == 200 and "Connected to" in response.content.decode()
    assert "Consumer key" in response.content.decode()
