"""The fake WooCommerce for integration tests: one server for the session, fresh sites for every test."""

import json

import pytest

from integrations.models import Connection, Platform
from tests.fakes.woocommerce import FakeWooCommerce

ALICE_KEY, ALICE_SECRET = "ck_alice", "cs_alice"


@pytest.fixture(scope="session")
def woo_server():
    fake = FakeWooCommerce().start()
    yield fake
    fake.stop()


@pytest.fixture
def woo(woo_server, settings):
    settings.WOOCOMMERCE_RETRY_DELAYS = [0.01, 0.02]
    settings.WOOCOMMERCE_TIMEOUT_SECONDS = 1
    woo_server.reset()
    return woo_server


@pytest.fixture
def alice_site(woo):
    return woo.add_site("alice-wp", key=ALICE_KEY, secret=ALICE_SECRET)


def connect_woo(store, woo, site) -> Connection:
    return Connection.objects.create(
        store=store, platform=Platform.WOOCOMMERCE, shop=woo.site_url(site.name),
        credentials=json.dumps({"consumer_key": site.key, "consumer_secret": site.secret}),
    )


@pytest.fixture
def alice_woo(alice_store, woo, alice_site):
    return connect_woo(alice_store, woo, alice_site)
