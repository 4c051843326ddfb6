"""Recommendations: bought together from synced orders, similar items, personal picks for a contact."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from integrations import mirror
from integrations.models import Customer, Recommendation
from integrations.queries import recommend_for_contact, recommend_for_product
from integrations.recommendations import popular_products
from integrations.tasks import refresh_recommendations
from tests.integrations.catalog_world import fill_catalog, order


def titles(products):
    return [p.title for p in products]


@pytest.fixture
def shop(alice_store):
    """Shirt (4) bought with the hat (6) three times, with the tote (10) twice, with the sold-out sandals (7)
    twice; three cancelled orders of shirt and coat (3) must not count. Carol bought shirt, hat and coffee."""
    catalog = fill_catalog(alice_store)
    now = timezone.now()
    mirror.write("customers", alice_store, [{
        "platform_id": "201", "first_name": "Carol", "last_name": "Example", "email": "carol@example.com",
        "phone": "", "tags": [], "orders_count": 2, "amount_spent": Decimal("40"), "currency": "USD",
        "platform_created_at": None, "platform_updated_at": None,
    }], now)  # fmt: skip
    mirror.write("orders", alice_store, [
        order("1", "carol@example.com", ["4", "6", "9"]), order("2", "x@example.com", ["4", "6", "10"]),
        order("3", "y@example.com", ["4", "10"]), order("4", "z@example.com", ["4", "6"]),
        order("5", "y@example.com", ["4", "7"]), order("6", "z@example.com", ["4", "7"]),
        *[order(str(10 + i), "w@example.com", ["4", "3"], cancelled=True) for i in range(3)],
        order("20", "v@example.com", ["5"], days_ago=3), order("21", "v@example.com", ["5"], days_ago=2),
    ], now - timedelta(minutes=1))  # fmt: skip
    refresh_recommendations.delay(alice_store.pk)
    return catalog


def test_bought_together_lists_what_shared_the_most_orders_first(alice_store, shop):
    picks = recommend_for_product(alice_store, shop["Linen Shirt"])["bought_together"]
    assert titles(picks) == ["Straw Hat", "Canvas Tote", "Coffee Beans"]


def test_bought_together_leaves_out_sold_out_products_and_cancelled_orders(alice_store, shop):
    picks = titles(recommend_for_product(alice_store, shop["Linen Shirt"])["bought_together"])
    assert "Sold Out Sandals" not in picks and "Winter Coat" not in picks


def test_similar_items_share_collection_type_tags_and_words(alice_store, shop):
    similar = titles(recommend_for_product(alice_store, shop["Summer Dress"])["similar"])
    assert similar[0] == "Linen Summer Dress"
    assert "Draft Dress" not in similar and "Sold Out Sandals" not in similar and "Summer Dress" not in similar


def test_personal_picks_never_repeat_what_the_customer_bought_unless_it_is_consumable(alice_store, shop):
    carol = Customer.objects.get(store=alice_store, platform_id="201")
    picks = titles(recommend_for_contact(alice_store, customer=carol, limit=10))
    assert "Linen Shirt" not in picks and "Straw Hat" not in picks
    assert picks[:2] == ["Canvas Tote", "Coffee Beans"]  # with the shirt and the hat; coffee runs out
    assert "Sold Out Sandals" not in picks


def test_personal_picks_follow_what_the_shopper_viewed_and_skip_those_items(alice_store, shop):
    picks = titles(recommend_for_contact(alice_store, viewed_ids=[shop["Summer Dress"].pk], limit=3))
    assert picks[0] == "Linen Summer Dress"
    assert "Summer Dress" not in picks


def test_without_any_history_the_picks_are_the_best_sellers(alice_store, shop):
    picks = titles(recommend_for_contact(alice_store, limit=3))
    assert picks == titles(popular_products(alice_store, limit=3))
    assert picks[0] == "Linen Shirt"


def test_ids_of_another_store_are_ignored(alice_store, bob_store, shop):
    fill_catalog(bob_store)
    refresh_recommendations.delay(bob_store.pk)
    picks = recommend_for_contact(bob_store, purchased_ids=[shop["Linen Shirt"].pk], viewed_ids=[shop["Straw Hat"].pk])
    assert all(p.store_id == bob_store.pk for p in picks)
    assert recommend_for_product(bob_store, shop["Linen Shirt"])["bought_together"] == []


def test_refreshing_twice_keeps_one_set_of_rows(alice_store, shop):
    count = Recommendation.objects.filter(store=alice_store).count()
    refresh_recommendations.delay(alice_store.pk)
    assert Recommendation.objects.filter(store=alice_store).count() == count > 0
