"""A large catalog's first full import runs as one Shopify bulk operation, read back in resumable pages."""

import pytest

from integrations.models import Connection, Product, Variant
from integrations.shopify import bulk
from integrations.sync import run_sync

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_catalogs_count_as_large(settings, monkeypatch):
    settings.SHOPIFY_BULK_MIN_PRODUCTS = 30
    monkeypatch.setattr(bulk, "PAGE", 25)  # several pages from a small file


def fill(shop, count):
    for i in range(count):
        sizes = ["S", "M", "L"] if i % 10 else [f"W{w}" for w in range(20)]  # every tenth has 20 variants
        shop.add_product(
            f"Cotton Tee {i}", handle=f"cotton-tee-{i}", images=[(f"https://cdn.example/{i}.jpg", f"Tee {i}")],
            variants=[{"title": s, "price": "18.00", "options": {"Size": s}} for s in sizes],
        )  # fmt: skip


def operations(shop):
    return [e["operation"] for e in shop.log]


def test_a_large_first_import_reads_one_bulk_export_instead_of_pages(alice_store, alice_connection, alice_shop):
    fill(alice_shop, 60)

    result = run_sync(alice_connection.pk, full=True)

    assert result.error == ""
    assert "BulkRun" in operations(alice_shop) and "Products" not in operations(alice_shop)
    assert "ProductVariants" not in operations(alice_shop)  # the export holds every variant
    assert Product.objects.filter(store=alice_store).count() == 60
    assert Variant.objects.filter(store=alice_store).count() == 6 * 20 + 54 * 3
    tee = Product.objects.get(store=alice_store, handle="cotton-tee-7")
    assert tee.images == [{"url": "https://cdn.example/7.jpg", "alt": "Tee 7"}]
    assert result.pages == 3 + 3  # three bulk pages of products, then one page each of the rest


def test_the_next_sync_is_incremental_and_paged(alice_store, alice_connection, alice_shop):
    fill(alice_shop, 40)
    run_sync(alice_connection.pk, full=True)
    alice_shop.log.clear()
    alice_shop.add_product("New Tee")

    assert run_sync(alice_connection.pk).error == ""

    assert "BulkRun" not in operations(alice_shop) and "Products" in operations(alice_shop)
    assert Product.objects.filter(store=alice_store).count() == 41


def test_an_import_cut_off_mid_file_resumes_without_a_new_export(alice_store, alice_connection, alice_shop):
    fill(alice_shop, 60)
    alice_shop.bulk_cut_after = 250  # lines: the first page is 176 lines; the download drops in the second

    first = run_sync(alice_connection.pk, full=True)

    assert "broke off" in first.error
    written = Product.objects.filter(store=alice_store).count()
    assert written == 25  # whole pages only
    cursor = Connection.objects.get(pk=alice_connection.pk).cursors["products"]["run"]["after"]
    assert cursor.startswith("bulk:")

    alice_shop.log.clear()
    assert run_sync(alice_connection.pk, full=True).error == ""

    assert "BulkRun" not in operations(alice_shop)
    assert Product.objects.filter(store=alice_store).count() == 60
    assert Variant.objects.filter(store=alice_store).count() == 6 * 20 + 54 * 3


def test_a_failed_export_falls_back_to_pages(alice_store, alice_connection, alice_shop):
    fill(alice_shop, 35)
    alice_shop.bulk_fail = "INTERNAL_SERVER_ERROR"

    assert run_sync(alice_connection.pk, full=True).error == ""

    assert "BulkRun" in operations(alice_shop) and "Products" in operations(alice_shop)
    assert Product.objects.filter(store=alice_store).count() == 35
