"""What other apps read from the mirror, and the privacy registry's view of it: always one store's rows."""

import pytest
from django.http import Http404

from integrations import queries
from integrations.demo import seed_demo_mirror
from integrations.models import Customer, Fulfillment, Order, Product
from tenants import privacy
from tenants.privacy import Shopper
from tests.integrations.mirror_world import fill_mirror

pytestmark = pytest.mark.django_db


def test_products_by_ids_keep_the_order_asked_and_leave_out_other_stores(alice_shop_mirror, bob_store):
    bobs = fill_mirror(bob_store)
    shirt, hat = alice_shop_mirror.shirt, alice_shop_mirror.hat

    found = queries.get_products_by_ids(alice_shop_mirror.shirt.store, [hat.pk, bobs.shirt.pk, shirt.pk, 999999])

    assert found == [hat, shirt]
    assert [v.title for v in found[1].variants.all()] == ["S", "M"]
    assert not found[1].variants.all()[1].in_stock


def test_another_stores_product_or_order_is_not_found(alice_shop_mirror, bob_store):
    with pytest.raises(Http404):
        queries.access_product(bob_store, alice_shop_mirror.shirt.pk)
    with pytest.raises(Http404):
        queries.access_order(bob_store, alice_shop_mirror.orders["#1001"].pk)


def test_a_customers_orders_newest_first_with_tracking(alice_shop_mirror):
    store = alice_shop_mirror.shirt.store
    orders = queries.orders_of_customer(store, alice_shop_mirror.carol)
    assert [o.name for o in orders] == ["#1002", "#1001"]
    assert orders[1].fulfillments.all()[0].tracking_number == "1Z001"
    assert [o.name for o in queries.orders_for_email(store, " Dave@Example.com ")] == ["#1003"]


def test_an_order_by_number_needs_the_matching_email(alice_shop_mirror, bob_store):
    store = alice_shop_mirror.shirt.store
    assert queries.get_order_by_name(store, "1001", email="carol@example.com").name == "#1001"
    assert queries.get_order_by_name(store, "#1001", email="dave@example.com") is None
    assert queries.get_order_by_name(bob_store, "#1001", email="carol@example.com") is None


def test_a_verified_customer_id_finds_the_customer_in_this_store_only(alice_shop_mirror, bob_store):
    store = alice_shop_mirror.shirt.store
    assert queries.get_customer_by_platform_id(store, "201") == alice_shop_mirror.carol
    assert queries.get_customer_by_platform_id(bob_store, "201") is None


def test_a_shopper_export_covers_their_customer_record_and_orders(alice_shop_mirror):
    store = alice_shop_mirror.shirt.store
    data = privacy.export_shopper_data(store, Shopper(email="carol@example.com"))["integrations"]
    assert [c["first_name"] for c in data["customers"]] == ["Carol"]
    assert sorted(o["name"] for o in data["orders"]) == ["#1001", "#1002"]
    assert data["orders"][0]["items"]


def test_erasing_a_shopper_removes_them_from_this_store_only(alice_shop_mirror, bob_store):
    fill_mirror(bob_store)
    store = alice_shop_mirror.shirt.store

    erased = privacy.erase_shopper_data(store, Shopper(customer_ids=("201",)))

    assert erased["integrations"] == 6  # the customer, two orders, their two line items and one fulfillment
    assert not Customer.objects.filter(store=store, platform_id="201").exists()
    assert not Order.objects.filter(store=store, email="carol@example.com").exists()
    assert not Fulfillment.objects.filter(store=store, tracking_number="1Z001").exists()
    assert Order.objects.filter(store=bob_store, email="carol@example.com").count() == 2


def test_deleting_a_store_deletes_its_mirror(alice_shop_mirror, bob_store):
    fill_mirror(bob_store)
    store = alice_shop_mirror.shirt.store
    export = privacy.export_store_data(store)["integrations"]
    assert export["mirrored"]["products"] == 2 and export["connection"] is None

    privacy.erase_store_data(store)

    assert Product.objects.filter(store=bob_store).count() == 2
    assert Product.objects.count() == 2


def test_the_demo_shop_has_a_realistic_catalog_customers_and_orders(alice_store, settings):
    counts = seed_demo_mirror(alice_store)
    again = seed_demo_mirror(alice_store)

    assert counts == again  # seeding twice refreshes the same rows
    assert counts["products"] >= 150 and counts["customers"] >= 40
    titles = list(Product.objects.filter(store=alice_store).values_list("title", flat=True))
    assert len(set(titles)) == len(titles) and not any(t[-1].isdigit() for t in titles)
    assert Product.objects.filter(store=alice_store, title="Road Bike — Racing Red").exists()
    assert Product.objects.filter(store=alice_store, variants__options__Colour="Walnut").exists()
    multi = Product.objects.get(store=alice_store, title="Laptop — Silver")
    assert multi.variants.count() == 4
    orders = Order.objects.filter(store=alice_store)
    assert {"paid", "pending", "refunded", "partially_refunded", "voided", "authorized"} <= set(
        orders.values_list("financial_status", flat=True)
    )
    assert {"fulfilled", "unfulfilled", "partially_fulfilled", "in_progress", "on_hold"} <= set(
        orders.values_list("fulfillment_status", flat=True)
    )
    assert orders.filter(cancelled_at__isnull=False).exists()
    assert not orders.filter(fulfillment_status="fulfilled", fulfillments__isnull=True).exists()
    assert Fulfillment.objects.filter(store=alice_store).exclude(tracking_number="").count() >= 30


def test_the_demo_photos_are_served_locally(alice_store, client):
    seed_demo_mirror(alice_store)
    url = Product.objects.filter(store=alice_store).first().image_url
    path = url.removeprefix("http://localhost:8000")
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
