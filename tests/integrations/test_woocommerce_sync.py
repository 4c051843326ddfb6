"""Full and incremental syncs from the fake WooCommerce, through the real ``woocommerce`` package."""

from decimal import Decimal

import pytest

from integrations.models import Collection, Connection, Customer, LineItem, Order, Product, SyncStatus, Variant
from integrations.sync import run_sync
from tests.fakes.woocommerce.site import STATUSES

pytestmark = pytest.mark.django_db


def fill_site(site, products=250):
    """Simple and variable products over several pages, customers, an order in every status."""
    made = [site.add_product(f"Mug {i}", variable=i % 5 == 0, price=f"{10 + i % 7}.50") for i in range(products)]
    ana = site.add_customer("ANA@example.com")
    site.add_customer("bo@example.com", "Bo", "Berg")
    for status in STATUSES:
        site.add_order(status=status, customer=ana, product=made[1])
    return made


def test_a_full_sync_reads_every_page_of_products_categories_customers_and_orders(alice_store, alice_woo, alice_site):
    fill_site(alice_site)

    result = run_sync(alice_woo.pk, full=True)

    assert result.error == ""
    assert Product.objects.filter(store=alice_store).count() == 250
    # 50 variable products with two variations each, 200 simple ones with themselves as the only variant.
    assert Variant.objects.filter(store=alice_store).count() == 300
    mug = Product.objects.get(store=alice_store, title="Mug 5")
    assert sorted(v.options["Color"] for v in mug.variants.all()) == ["Black", "Green"]
    assert mug.description and "<p>" not in mug.description
    clothing = Collection.objects.get(store=alice_store, title="Clothing")
    assert clothing.products.count() == 250
    assert Customer.objects.filter(store=alice_store, email="ana@example.com").exists()
    orders = Order.objects.filter(store=alice_store)
    assert orders.count() == 7
    assert {o.financial_status for o in orders} == {"pending", "paid", "voided", "refunded", "failed"}
    completed = next(o for o in orders if o.fulfillment_status == "fulfilled")
    assert completed.financial_status == "paid" and completed.customer.email == "ana@example.com"
    assert LineItem.objects.filter(order=completed, product__title="Mug 1").exists()
    assert orders.get(financial_status="refunded").total == Decimal("29.35")
    # Never more than 100 a page, and the pages were walked by number.
    product_pages = [r for r in alice_site.requests if r["endpoint"] == "products" and "page" in r and "category" not in r]
    assert all(int(r["per_page"]) <= 100 for r in alice_site.requests)
    assert {r["page"] for r in product_pages} >= {"1", "2", "3"}
    assert Connection.objects.get(pk=alice_woo.pk).sync_status == SyncStatus.OK


def test_an_incremental_sync_asks_only_for_what_changed(alice_store, alice_woo, alice_site):
    made = fill_site(alice_site, products=30)
    run_sync(alice_woo.pk, full=True)
    alice_site.touch_product(made[3]["id"], name="Mug 3 (new glaze)")
    alice_site.requests.clear()

    result = run_sync(alice_woo.pk)

    # The changed product, and the newest one the last run saw (rows at the watermark are read again).
    assert result.error == "" and result.rows["products"] == 2
    assert Product.objects.get(store=alice_store, platform_id=str(made[3]["id"])).title == "Mug 3 (new glaze)"
    assert Product.objects.filter(store=alice_store).count() == 30
    assert all(r["dates_are_gmt"] == "true" for r in alice_site.requests if "modified_after" in r)


def test_a_429_mid_way_is_waited_out_and_loses_nothing(alice_store, alice_woo, alice_site):
    fill_site(alice_site, products=150)
    alice_site.failures, alice_site.failures_after = [429, 503], 4  # after the counts and the first page

    result = run_sync(alice_woo.pk, full=True)

    assert result.error == ""
    assert Product.objects.filter(store=alice_store).count() == 150
    assert not alice_site.failures


def test_a_killed_sync_resumes_at_the_page_where_it_stopped(alice_store, alice_woo, alice_site):
    fill_site(alice_site, products=250)
    # The count and three pages are answered, then the site goes down for good: the third page's
    # variations cannot be read, so that page is not written at all.
    alice_site.down_after = ("products", 4)

    first = run_sync(alice_woo.pk, full=True)

    assert "502" in first.error and "3 tries" in first.error
    assert Product.objects.filter(store=alice_store).count() == 200  # two whole pages, nothing half-written
    assert Connection.objects.get(pk=alice_woo.pk).cursors["products"]["run"]["after"] == "3"
    alice_site.down, alice_site.down_after = False, None
    alice_site.requests.clear()

    second = run_sync(alice_woo.pk, full=True)

    assert second.error == ""
    assert Product.objects.filter(store=alice_store).count() == 250
    first_page = next(r for r in alice_site.requests if r["endpoint"] == "products" and r["per_page"] == "100")
    assert first_page["page"] == "3"


def test_wrong_keys_end_in_a_failed_sync_that_says_so(alice_store, alice_woo, alice_site):
    alice_site.secret = "cs_changed"

    result = run_sync(alice_woo.pk, full=True)

    assert "refused the consumer key" in result.error
    assert Product.objects.filter(store=alice_store).count() == 0


def test_a_site_that_keeps_answering_html_or_hangs_fails_with_a_clear_error(alice_store, alice_woo, alice_site, woo):
    fill_site(alice_site, products=3)
    alice_site.failures = ["html"] * 3
    assert "web page, not JSON" in run_sync(alice_woo.pk, full=True).error
    woo.hang_seconds = 1.5
    alice_site.failures = ["timeout"] * 3
    try:
        assert "did not answer within 1s" in run_sync(alice_woo.pk, full=True).error
    finally:
        woo.hang_seconds = 2.0
    assert Product.objects.filter(store=alice_store).count() == 0


def test_the_connect_command_checks_the_keys_then_saves_them_encrypted_and_queues_a_sync(alice_store, woo, on_commit):
    from django.core.management import CommandError, call_command

    site = woo.add_site("alice-wp", key="ck_alice", secret="cs_alice")
    with pytest.raises(CommandError, match="refused"):
        call_command("connect_store", "alice", "woocommerce", "--url", woo.site_url("alice-wp"), "--key", "ck_alice",
                     "--secret", "cs_wrong")
    assert not Connection.objects.filter(store=alice_store).exists()

    with on_commit(execute=False) as queued:
        call_command("connect_store", "alice", "woocommerce", "--url", woo.site_url("alice-wp") + "/wp-admin/",
                     "--key", "ck_alice", "--secret", "cs_alice")

    connection = Connection.objects.get(store=alice_store)
    assert connection.platform == "woocommerce" and connection.shop == woo.site_url("alice-wp")
    secrets = connection.secrets()
    assert (secrets["consumer_key"], secrets["consumer_secret"]) == ("ck_alice", "cs_alice")
    assert len(secrets["webhook_secret"]) >= 32  # signs the webhooks the site sends us
    assert len(queued) == 2 and site.requests  # the first sync and the webhook registration


def test_connecting_creates_the_sites_webhooks_once_signed_with_the_connections_secret(alice_store, woo, on_commit,
                                                                                      settings):
    from integrations import services
    from integrations.woocommerce.webhooks import REGISTERED

    settings.PUBLIC_URL = "https://shopbot.example"
    site = woo.add_site("alice-wp", key="ck_alice", secret="cs_alice")
    with on_commit(execute=True):
        connection = services.connect_woocommerce(alice_store, url=woo.site_url("alice-wp"), key="ck_alice",
                                                  secret="cs_alice")
    services.register_webhooks(connection.pk)  # a second run (a retried task) makes none twice

    assert sorted(w["topic"] for w in site.webhooks) == sorted(REGISTERED)
    assert {w["delivery_url"] for w in site.webhooks} == {f"https://shopbot.example/webhooks/woocommerce/{connection.pk}/"}
    assert {w["secret"] for w in site.webhooks} == {connection.secrets()["webhook_secret"]}


def test_keys_without_write_access_connect_but_say_webhooks_could_not_be_made(alice_store, woo, on_commit):
    from integrations import services

    site = woo.add_site("alice-wp", key="ck_alice", secret="cs_alice")
    site.readwrite = False
    with on_commit(execute=True):
        connection = services.connect_woocommerce(alice_store, url=woo.site_url("alice-wp"), key="ck_alice",
                                                  secret="cs_alice")

    connection.refresh_from_db()
    assert connection.is_connected and "Webhooks could not be created" in connection.last_error
