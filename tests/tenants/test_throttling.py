from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from tenants import services
from tenants.models import Membership


def _rates(user_rate):
    return {**api_settings.DEFAULT_THROTTLE_RATES, "user": user_rate}


def test_each_api_key_has_its_own_rate_limit(alice_store, bob_store):
    alice_key = services.create_api_key(alice_store, name="a", created_by=None)[1]
    bob_key = services.create_api_key(bob_store, name="b", created_by=None)[1]
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = _rates("3/min")
    try:
        alice = Client(HTTP_AUTHORIZATION=f"Bearer {alice_key}")
        answers = [alice.get("/api/v1/s/alice/").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        assert "throttled" in alice.get("/api/v1/s/alice/").json()["detail"].lower()
        assert Client(HTTP_AUTHORIZATION=f"Bearer {bob_key}").get("/api/v1/s/bob/").status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original


def test_another_stores_object_and_a_missing_one_read_the_same(alice_client, alice_store, bob_store):
    bobs = Membership.objects.get(store=bob_store).pk
    other = alice_client.get(f"/api/v1/s/alice/members/{bobs}/")
    missing = alice_client.get("/api/v1/s/alice/members/999999/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == {"detail": "Not found."}
