"""Back in stock: shoppers wait for a sold-out product, and a sync or webhook write that restocks it says so."""

import pytest
from django.utils import timezone

from integrations import mirror
from integrations.models import Product, Variant
from integrations.queries import recommend_for_product, restocked_watches, waiting_for_restock
from integrations.restock import NotOutOfStock, mark_restock_notified, watch_restock
from integrations.sync import run_sync
from tests.integrations.catalog_world import CATALOG, fill_catalog

SANDALS = CATALOG[6]


def restock(store, record, quantity):
    record = {**record, "variants": [{**v, "inventory_quantity": quantity} for v in record["variants"]]}
    mirror.write("products", store, [record], timezone.now())


@pytest.fixture
def catalog(alice_store):
    return fill_catalog(alice_store)


def test_a_shopper_waits_for_a_sold_out_product_once(alice_store, catalog):
    sandals = catalog["Sold Out Sandals"]
    first = watch_restock(alice_store, sandals, contact_id=7)
    assert watch_restock(alice_store, sandals, contact_id=7) == first
    watch_restock(alice_store, sandals, contact_id=8)
    assert waiting_for_restock(alice_store, sandals) == [7, 8]


def test_nobody_waits_for_what_can_be_bought(alice_store, catalog):
    with pytest.raises(NotOutOfStock):
        watch_restock(alice_store, catalog["Straw Hat"], contact_id=7)
    shirt = catalog["Linen Shirt"]
    sold_out_large = Variant.objects.get(store=alice_store, platform_id="42")
    assert watch_restock(alice_store, shirt, contact_id=7, variant=sold_out_large).variant == sold_out_large


def test_a_write_that_brings_stock_back_marks_the_watchers_to_be_told(alice_store, catalog):
    sandals = catalog["Sold Out Sandals"]
    watch_restock(alice_store, sandals, contact_id=7)
    restock(alice_store, SANDALS, 0)
    assert restocked_watches(alice_store) == []
    restock(alice_store, SANDALS, 3)
    [watch] = restocked_watches(alice_store)
    assert (watch.contact_id, watch.product.title) == (7, "Sold Out Sandals")
    assert waiting_for_restock(alice_store, sandals) == []
    mark_restock_notified(alice_store, [watch.pk])
    assert restocked_watches(alice_store) == []


def test_a_variant_watch_waits_for_that_variant_only(alice_store, catalog):
    shirt_record = CATALOG[3]
    large = Variant.objects.get(store=alice_store, platform_id="42")
    watch_restock(alice_store, catalog["Linen Shirt"], contact_id=7, variant=large)
    mirror.write("products", alice_store, [shirt_record], timezone.now())  # M still in stock, L still not
    assert restocked_watches(alice_store) == []
    variants = [{**v, "inventory_quantity": 2} for v in shirt_record["variants"]]
    mirror.write("products", alice_store, [{**shirt_record, "variants": variants}], timezone.now())
    assert [w.variant_id for w in restocked_watches(alice_store)] == [large.pk]


def test_bobs_restock_never_touches_alices_watchers(alice_store, bob_store, catalog):
    watch_restock(alice_store, catalog["Sold Out Sandals"], contact_id=7)
    fill_catalog(bob_store)
    restock(bob_store, SANDALS, 5)
    assert restocked_watches(alice_store) == [] and restocked_watches(bob_store) == []
    with pytest.raises(ValueError):
        watch_restock(bob_store, catalog["Sold Out Sandals"], contact_id=9)


def test_a_shopify_sync_detects_the_restock_and_refreshes_recommendations(
    alice_store, alice_connection, alice_shop, django_capture_on_commit_callbacks
):
    boots = alice_shop.add_product("Rain Boots", variants=[{"title": "M", "price": "60.00", "inventoryQuantity": 0}])
    socks = alice_shop.add_product("Wool Socks", variants=[{"title": "M", "price": "9.00"}])
    buyer = alice_shop.add_customer("Ada", "Lovelace", "ada@example.com")
    alice_shop.add_order(customer=buyer, lines=[(boots, 1), (socks, 2)])
    with django_capture_on_commit_callbacks(execute=True):
        assert run_sync(alice_connection.pk, full=True).error == ""
    mirrored_boots = Product.objects.get(store=alice_store, title="Rain Boots")
    socks_row = Product.objects.get(store=alice_store, title="Wool Socks")
    assert recommend_for_product(alice_store, socks_row)["bought_together"] == []  # the boots are sold out
    watch_restock(alice_store, mirrored_boots, contact_id=42)

    alice_shop.update(boots, _variants=[{**v, "inventoryQuantity": 4} for v in boots["_variants"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert run_sync(alice_connection.pk).error == ""
    assert [w.contact_id for w in restocked_watches(alice_store)] == [42]
    assert [p.title for p in recommend_for_product(alice_store, socks_row)["bought_together"]] == ["Rain Boots"]
