"""The ShopifyAPI package's traps: process-global sessions, no time-out, printed errors, no retries."""

import pytest
import shopify
from django.core.exceptions import ValidationError

from integrations.adapters import AuthError, PlatformError, TransientError
from integrations.models import Connection, Product, SyncStatus
from integrations.shopify import queries as q
from integrations.shopify.client import GraphQLClient, normalize_shop, shopify_session
from integrations.sync import run_sync
from tests.integrations.conftest import ALICE_SHOP

pytestmark = pytest.mark.django_db


def test_two_stores_synced_in_one_worker_each_reach_only_their_own_shop(
    alice_store, bob_store, alice_connection, bob_connection, alice_shop, bob_shop
):
    alice_shop.add_product("Alice's Scarf")
    bob_shop.add_product("Bob's Bell")

    assert run_sync(alice_connection.pk).error == ""
    assert shopify.ShopifyResource.site is None  # cleared between tenants
    assert run_sync(bob_connection.pk).error == ""

    assert list(Product.objects.filter(store=alice_store).values_list("title", flat=True)) == ["Alice's Scarf"]
    assert list(Product.objects.filter(store=bob_store).values_list("title", flat=True)) == ["Bob's Bell"]
    assert {e["token"] for e in alice_shop.log} == {"shpat_alice"}
    assert {e["token"] for e in bob_shop.log} == {"shpat_bob"}
    assert "X-Shopify-Access-Token" not in shopify.ShopifyResource.get_headers()


def test_a_session_left_active_by_other_code_does_not_leak_into_a_sync(bob_store, bob_connection, bob_shop, alice_shop):
    bob_shop.add_product("Bob's Bell")
    stale = shopify.Session(ALICE_SHOP, "2026-10", "shpat_alice")
    shopify.ShopifyResource.activate_session(stale)  # as a careless task would leave it
    try:
        assert run_sync(bob_connection.pk).error == ""
    finally:
        shopify.ShopifyResource.clear_session()
    assert alice_shop.log == []
    assert {e["token"] for e in bob_shop.log} == {"shpat_bob"}


def test_the_session_is_cleared_when_a_sync_fails(alice_connection, alice_shop):
    alice_shop.tokens.clear()  # the token was revoked in Shopify

    result = run_sync(alice_connection.pk)

    assert "refused the access token" in result.error
    assert shopify.ShopifyResource.site is None
    connection = Connection.objects.get(pk=alice_connection.pk)
    assert connection.sync_status == SyncStatus.FAILED and "Reconnect" in connection.last_error


@pytest.mark.parametrize(
    ("typed", "domain"),
    [
        ("alice-apparel.myshopify.com", ALICE_SHOP),
        ("https://Alice-Apparel.myshopify.com/admin", ALICE_SHOP),
        (" alice-apparel.myshopify.com/ ", ALICE_SHOP),
    ],
)
def test_it_accepts_a_shop_domain_as_owners_paste_it(typed, domain):
    assert normalize_shop(typed) == domain


@pytest.mark.parametrize(
    "typed", ["alice.com", "alice-apparel.myshopify.com.evil.example", "alice apparel", "", "-x.myshopify.com"]
)
def test_it_refuses_what_shopify_api_would_silently_rewrite(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_shop(typed)
    assert "myshopify.com" in caught.value.message_dict["shop"][0]


def _client(shop=ALICE_SHOP):
    return GraphQLClient(shop)


def test_a_slow_shop_times_out_retries_and_gives_up_with_a_clear_error(alice_shop, capsys):
    alice_shop.failures = ["slow", "slow", "slow"]
    with shopify_session(ALICE_SHOP, "shpat_alice"), pytest.raises(TransientError) as caught:
        _client().query(q.SHOP)
    assert "did not answer within 1s" in str(caught.value) and "Gave up after 3 tries" in str(caught.value)
    assert capsys.readouterr().out == ""  # nothing printed, unlike GraphQL().execute


def test_transient_failures_are_retried_until_the_shop_answers(alice_shop):
    alice_shop.failures = ["502", "html"]
    with shopify_session(ALICE_SHOP, "shpat_alice"):
        client = _client()
        assert client.query(q.SHOP)["shop"]["name"] == "Alice's Apparel"
    assert client.requests == 3


def test_a_dropped_connection_is_transient(alice_shop):
    alice_shop.failures = ["drop", "drop", "drop"]
    with shopify_session(ALICE_SHOP, "shpat_alice"), pytest.raises(TransientError, match="Could not reach"):
        _client().query(q.SHOP)


def test_an_html_page_is_not_taken_for_data(alice_shop):
    alice_shop.failures = ["html"] * 3
    with shopify_session(ALICE_SHOP, "shpat_alice"), pytest.raises(TransientError, match="text/html, not JSON"):
        _client().query(q.SHOP)


def test_a_wrong_token_is_an_auth_error(alice_shop):
    with shopify_session(ALICE_SHOP, "shpat_wrong"), pytest.raises(AuthError, match="refused the access token"):
        _client().query(q.SHOP)


def test_a_domain_that_is_not_a_shop_says_so(fake):
    with shopify_session("no-such-shop.myshopify.com", "x"), pytest.raises(PlatformError, match="not a Shopify shop"):
        _client("no-such-shop.myshopify.com").query(q.SHOP)


def test_every_query_stays_under_the_single_query_cost_limit(alice_shop):
    from graphql import parse

    from tests.fakes.shopify import SINGLE_QUERY_LIMIT, requested_cost

    queries = [(query, {"first": size}) for query, size in q.PAGES.values()]
    queries += [(q.PRODUCT_VARIANTS, {}), (q.COLLECTION_PRODUCTS, {}), (q.ORDER_LINE_ITEMS, {}), (q.SHOP, {})]
    for query, variables in queries:
        assert requested_cost(parse(query), variables) <= SINGLE_QUERY_LIMIT


def test_it_uses_the_configured_api_version(alice_connection, alice_shop, fake, settings):
    run_sync(alice_connection.pk)
    assert fake.versions == {settings.SHOPIFY_API_VERSION}


def test_a_query_outside_a_session_is_refused_plainly(alice_shop):
    with pytest.raises(PlatformError, match="No Shopify session is active"):
        _client().query(q.SHOP)
    assert alice_shop.log == []
