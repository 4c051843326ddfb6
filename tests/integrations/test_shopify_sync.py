"""Full and incremental syncs from the fake Shopify, through the real ShopifyAPI package."""

import itertools
from decimal import Decimal

import pytest

from integrations.models import (
    Collection,
    Connection,
    Customer,
    Fulfillment,
    LineItem,
    Order,
    Product,
    SyncStatus,
    Variant,
)
from integrations.sync import run_sync
from integrations.tasks import sync_store

pytestmark = pytest.mark.django_db


def fill_shop(shop, products=45, variants=3):
    """A small real-looking shop: products over several pages, a collection, customers, orders."""
    made = []
    for i in range(products):
        made.append(
            shop.add_product(
                f"Linen Shirt {i}",
                handle=f"linen-shirt-{i}",
                variants=[
                    {"title": size, "price": f"{20 + v}.50", "options": {"Size": size}, "sku": f"LS-{i}-{size}"}
                    for v, size in enumerate(["S", "M", "L", "XL", "XXL"][:variants])
                ],
                images=[(f"https://cdn.example/{i}.jpg", f"Shirt {i}")],
            )
        )
    shop.add_collection("Summer", made[:30])
    ada = shop.add_customer("Ada", "Lovelace", "ADA@example.com", numberOfOrders="2")
    grace = shop.add_customer("Grace", "Hopper", "grace@example.com")
    first = shop.add_order(customer=ada, lines=[(made[0], 2), (made[1], 1)])
    shop.fulfil(first, company="UPS", number="1Z999", url="https://ups.example/1Z999")
    shop.add_order(customer=grace, lines=[(made[2], 1)], displayFinancialStatus="REFUNDED")
    return made


def snapshot(store):
    """Everything a shopper could notice in the mirror (not when it was written)."""
    return {
        model.__name__: sorted(
            tuple(str(v) for v in row)
            for row in model.objects.filter(store=store).values_list(
                *[f.attname for f in model._meta.concrete_fields if f.name not in ("id", "synced_at")]
            )
        )
        for model in (Product, Variant, Collection, Customer, Order, LineItem, Fulfillment)
    }


def test_a_full_sync_mirrors_products_collections_customers_and_orders(alice_store, alice_connection, alice_shop):
    fill_shop(alice_shop)

    result = run_sync(alice_connection.pk, full=True)

    assert result.error == ""
    assert Product.objects.filter(store=alice_store).count() == 45
    assert Variant.objects.filter(store=alice_store).count() == 135
    shirt = Product.objects.get(store=alice_store, handle="linen-shirt-7")
    assert shirt.title == "Linen Shirt 7"
    assert shirt.images == [{"url": "https://cdn.example/7.jpg", "alt": "Shirt 7"}]
    assert [(v.title, v.price, v.options) for v in shirt.variants.order_by("position")] == [
        ("S", Decimal("20.50"), {"Size": "S"}),
        ("M", Decimal("21.50"), {"Size": "M"}),
        ("L", Decimal("22.50"), {"Size": "L"}),
    ]
    assert Collection.objects.get(store=alice_store, title="Summer").products.count() == 30
    ada = Customer.objects.get(store=alice_store, first_name="Ada")
    assert ada.email == "ada@example.com" and ada.orders_count == 2
    order = Order.objects.get(store=alice_store, customer=ada)
    assert order.financial_status == "paid" and order.fulfillment_status == "fulfilled"
    assert [(i.quantity, i.product.handle) for i in order.line_items.order_by("id")] == [
        (2, "linen-shirt-0"),
        (1, "linen-shirt-1"),
    ]
    assert order.fulfillments.get().tracking_number == "1Z999"
    assert Order.objects.get(store=alice_store, customer__first_name="Grace").financial_status == "refunded"
    connection = Connection.objects.get(pk=alice_connection.pk)
    assert connection.sync_status == SyncStatus.OK and connection.last_synced_at is not None
    assert connection.counts["products"] == 45 and connection.counts["orders"] == 2
    assert connection.sync_lease_until is None
    assert len([e for e in alice_shop.log if e["operation"] == "Products"]) == 3  # 20 + 20 + 5


def test_a_second_run_changes_nothing(alice_store, alice_connection, alice_shop):
    fill_shop(alice_shop)
    run_sync(alice_connection.pk, full=True)
    before = snapshot(alice_store)

    assert run_sync(alice_connection.pk).error == ""
    assert run_sync(alice_connection.pk, full=True).error == ""

    assert snapshot(alice_store) == before


def test_an_incremental_sync_asks_only_for_what_changed(alice_store, alice_connection, alice_shop):
    made = fill_shop(alice_shop)
    run_sync(alice_connection.pk, full=True)
    alice_shop.log.clear()
    alice_shop.update(made[3], title="Linen Shirt <b>Deluxe</b> — ünïcode 🌿")
    alice_shop.add_product("Straw Hat", variants=[{"title": "One size", "price": 15}])

    result = run_sync(alice_connection.pk)

    assert result.rows["products"] <= 3  # the two changes, and at most the watermark's own row again
    assert (
        Product.objects.get(store=alice_store, handle="linen-shirt-3").title == "Linen Shirt <b>Deluxe</b> — ünïcode 🌿"
    )
    assert Product.objects.get(store=alice_store, title="Straw Hat").variants.get().price == Decimal("15.00")
    queries = [e["variables"].get("query") for e in alice_shop.log if e["operation"] == "Products"]
    assert queries and all(q and q.startswith("updated_at:>=") for q in queries)


def test_products_with_many_variants_and_no_images_are_read_whole(alice_store, alice_connection, alice_shop):
    sizes = [{"title": f"W{w} L{leg}", "price": "59.00", "options": {"Waist": str(w), "Length": str(leg)}}
             for w in range(28, 38) for leg in (30, 32, 34)]  # fmt: skip
    alice_shop.add_product("Selvedge Jeans", variants=sizes)

    assert run_sync(alice_connection.pk, full=True).error == ""

    jeans = Product.objects.get(store=alice_store, title="Selvedge Jeans")
    assert jeans.variants.count() == 30 and jeans.images == [] and jeans.image_url == ""
    assert any(e["operation"] == "ProductVariants" for e in alice_shop.log)


def test_a_full_sync_drops_what_the_shop_deleted_and_an_incremental_one_keeps_it(
    alice_store, alice_connection, alice_shop
):
    made = fill_shop(alice_shop, products=5)
    run_sync(alice_connection.pk, full=True)
    alice_shop.delete(made[4])

    run_sync(alice_connection.pk)
    assert Product.objects.filter(store=alice_store).count() == 5

    run_sync(alice_connection.pk, full=True)
    assert Product.objects.filter(store=alice_store).count() == 4


def test_throttling_mid_way_waits_for_the_bucket_and_loses_nothing(alice_store, alice_connection, alice_shop):
    fill_shop(alice_shop, products=100)
    # Room for two product pages, then the bucket refills at 4,000 points a second.
    alice_shop.bucket.maximum = alice_shop.bucket.available = 1900
    alice_shop.bucket.restore_rate = 4000
    alice_shop.throttle = True

    result = run_sync(alice_connection.pk, full=True)

    assert result.error == ""
    assert Product.objects.filter(store=alice_store).count() == 100
    answers = [e["answer"] for e in alice_shop.log]
    assert "THROTTLED" in answers
    # It waited for the bucket instead of hammering: never two THROTTLED answers in a row.
    assert all(not (a == b == "THROTTLED") for a, b in itertools.pairwise(answers))


def test_a_killed_sync_resumes_where_it_stopped(alice_store, alice_connection, alice_shop):
    fill_shop(alice_shop, products=90)
    # The shop goes down after three product pages and every retry fails, as if the worker died there.
    alice_shop.go_down_after = ("Products", 3)

    first = run_sync(alice_connection.pk, full=True)

    assert "502" in first.error and "3 tries" in first.error
    connection = Connection.objects.get(pk=alice_connection.pk)
    assert connection.sync_status == SyncStatus.FAILED and "502" in connection.last_error
    assert Product.objects.filter(store=alice_store).count() == 60  # three whole pages, nothing half-written
    resume_at = connection.cursors["products"]["run"]["after"]

    alice_shop.down = False
    alice_shop.log.clear()
    second = run_sync(alice_connection.pk, full=True)

    assert second.error == ""
    assert Product.objects.filter(store=alice_store).count() == 90
    assert Variant.objects.filter(store=alice_store).count() == 270
    first_page = next(e for e in alice_shop.log if e["operation"] == "Products")
    assert first_page["variables"]["after"] == resume_at
    assert Connection.objects.get(pk=alice_connection.pk).last_error == ""


def test_a_sync_already_running_is_not_started_twice(alice_connection, alice_shop):
    from django.utils import timezone

    Connection.objects.filter(pk=alice_connection.pk).update(
        sync_lease_until=timezone.now() + timezone.timedelta(minutes=5)
    )

    result = run_sync(alice_connection.pk)

    assert not result.ran and "already running" in result.error
    assert alice_shop.log == []


def test_the_celery_task_syncs_by_id(alice_store, alice_connection, alice_shop):
    fill_shop(alice_shop, products=3)

    outcome = sync_store.delay(alice_connection.pk, full=True).get()

    assert outcome["ran"] and outcome["rows"]["products"] == 3


def test_the_schedule_queues_stores_not_synced_lately(alice_store, bob_store, alice_connection, bob_connection,
                                                      alice_shop, bob_shop):  # fmt: skip
    from django.utils import timezone

    from integrations.tasks import sync_due_stores

    Connection.objects.filter(pk=bob_connection.pk).update(last_synced_at=timezone.now())
    alice_shop.add_product("Due")
    bob_shop.add_product("Not due")

    assert sync_due_stores.delay().get() == 1

    assert Product.objects.filter(store=alice_store).count() == 1
    assert Product.objects.filter(store=bob_store).count() == 0


def test_the_beat_schedule_runs_the_incremental_sync():
    from botplatform.celery import app

    assert any(e["task"] == "integrations.tasks.sync_due_stores" for e in app.conf.beat_schedule.values())


def test_a_sync_stops_writing_when_the_store_is_disconnected_meanwhile(alice_store, alice_connection, alice_shop):
    from integrations import services

    for i in range(50):
        alice_shop.add_product(f"Badge {i}")

    def disconnect_after_the_first_page(resource, done, total):
        if resource == "products" and done == 20:
            services.disconnect_store(alice_store)  # the owner clicks Disconnect meanwhile

    result = run_sync(alice_connection.pk, full=True, on_progress=disconnect_after_the_first_page)

    assert "disconnected" in result.error
    assert Product.objects.filter(store=alice_store).count() == 20  # the second page was not written
