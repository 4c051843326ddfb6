"""The fake Shopify for integration tests: one server for the session, fresh shops for every test."""

import pytest
import shopify

from integrations.models import Connection, Platform
from tests.fakes.shopify import FakeShopify

ALICE_SHOP = "alice-apparel.myshopify.com"
BOB_SHOP = "bob-bikes.myshopify.com"


@pytest.fixture(scope="session")
def fake_server():
    fake = FakeShopify().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(fake_server, settings):
    """The fake Shopify, with the app's key and secret, quick retries and an https PUBLIC_URL; fails the test on any
    invalid query."""
    settings.SHOPIFY_API_BASE_URL = fake_server.url
    settings.SHOPIFY_API_KEY, settings.SHOPIFY_API_SECRET = fake_server.api_key, fake_server.api_secret
    settings.SHOPIFY_RETRY_DELAYS = [0.01, 0.02]
    settings.SHOPIFY_TIMEOUT_SECONDS = 1
    settings.PUBLIC_URL = "https://shopbot.example"  # Shopify only subscribes webhooks to https addresses
    fake_server.reset()
    yield fake_server
    assert not fake_server.invalid_queries, fake_server.invalid_queries
    # No test may leave a Shopify session active for the next one (the library's state is process-global).
    assert shopify.ShopifyResource.site is None


@pytest.fixture
def alice_shop(fake):
    shop = fake.add_shop(ALICE_SHOP, token="shpat_alice", name="Alice's Apparel")
    shop.throttle = False  # tests about throttling turn it on
    return shop


@pytest.fixture
def bob_shop(fake):
    shop = fake.add_shop(BOB_SHOP, token="shpat_bob", name="Bob's Bikes")
    shop.throttle = False
    return shop


def connect(store, shop_domain: str, token: str) -> Connection:
    """A connection saved directly (as the connect service would after checking the token)."""
    import json

    return Connection.objects.create(
        store=store, platform=Platform.SHOPIFY, shop=shop_domain, credentials=json.dumps({"access_token": token})
    )


@pytest.fixture
def alice_connection(alice_store, alice_shop):
    return connect(alice_store, ALICE_SHOP, "shpat_alice")


@pytest.fixture
def bob_connection(bob_store, bob_shop):
    return connect(bob_store, BOB_SHOP, "shpat_bob")


from tests.integrations.woo_world import alice_site, alice_woo, woo, woo_server  # noqa: E402, F401
