"""What a shop may send that it should not: a clear error in the sync status, nothing half-written, nothing lost."""

from decimal import Decimal

import pytest

from integrations.models import Connection, Product, SyncStatus, Variant
from integrations.sync import run_sync

pytestmark = pytest.mark.django_db


def _products_page(payload):
    return payload["data"]["products"]["nodes"]


def test_a_page_with_a_missing_title_fails_whole_and_the_next_run_reads_it_again(
    alice_store, alice_connection, alice_shop
):
    for i in range(25):
        alice_shop.add_product(f"Mug {i}")

    def drop_a_title(payload):
        del _products_page(payload)[3]["title"]
        return payload

    alice_shop.tamper["Products"] = drop_a_title
    first = run_sync(alice_connection.pk, full=True)

    assert "without its title" in first.error
    connection = Connection.objects.get(pk=alice_connection.pk)
    assert connection.sync_status == SyncStatus.FAILED and "without its title" in connection.last_error
    assert Product.objects.filter(store=alice_store).count() == 0  # not 19 of the 20

    assert run_sync(alice_connection.pk, full=True).error == ""
    assert Product.objects.filter(store=alice_store).count() == 25


def test_a_price_that_is_not_a_number_is_refused_by_name(alice_store, alice_connection, alice_shop):
    alice_shop.add_product("Tea Towel", variants=[{"title": "Default Title", "price": "twelve"}])

    result = run_sync(alice_connection.pk, full=True)

    assert "the price 'twelve', which is not a number" in result.error
    assert not Product.objects.filter(store=alice_store).exists()


def test_prices_arrive_as_strings_and_are_kept_exactly(alice_store, alice_connection, alice_shop):
    alice_shop.add_product("Candle", variants=[{"title": "Default Title", "price": " 19.90 ", "compareAtPrice": "24"}])

    assert run_sync(alice_connection.pk, full=True).error == ""

    variant = Variant.objects.get(store=alice_store)
    assert (variant.price, variant.compare_at_price) == (Decimal("19.90"), Decimal("24.00"))


def test_unicode_html_and_overlong_titles_are_stored_as_sent(alice_store, alice_connection, alice_shop):
    alice_shop.add_product('<script>alert("x")</script> Café “Crème” 🍰', descriptionHtml="<p>Soft &amp; sweet</p>")
    alice_shop.add_product("Ü" * 300)

    assert run_sync(alice_connection.pk, full=True).error == ""

    cake = Product.objects.get(store=alice_store, title__startswith="<script>")
    assert cake.title == '<script>alert("x")</script> Café “Crème” 🍰'
    assert cake.description_html == "<p>Soft &amp; sweet</p>"
    assert Product.objects.get(store=alice_store, title__startswith="Ü").title == "Ü" * 255


def test_an_html_answer_mid_sync_keeps_what_was_written_and_says_why(alice_store, alice_connection, alice_shop):
    for i in range(45):
        alice_shop.add_product(f"Plate {i}")
    alice_shop.go_down_after = ("Products", 1)

    first = run_sync(alice_connection.pk, full=True)

    assert "502" in first.error
    assert Product.objects.filter(store=alice_store).count() == 20
    alice_shop.down = False
    assert run_sync(alice_connection.pk, full=True).error == ""
    assert Product.objects.filter(store=alice_store).count() == 45


def test_a_graphql_error_is_reported_in_the_sync_status(alice_connection, alice_shop):
    def access_denied(payload):
        return {"errors": [{"message": "Access denied for customers field.", "extensions": {"code": "ACCESS_DENIED"}}]}

    alice_shop.add_product("Bowl")
    alice_shop.tamper["Customers"] = access_denied

    result = run_sync(alice_connection.pk)

    assert "Access denied for customers field" in result.error and "read scopes" in result.error
