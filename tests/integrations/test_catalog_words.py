"""The catalog's words per store: kept exact on every write of products, used to correct typos, never shared."""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from integrations import mirror
from integrations.catalog_words import correct_words, rebuild_catalog_words
from integrations.models import CatalogWord, Product
from integrations.queries import search_products
from tests.integrations.catalog_world import CATALOG, fill_catalog, product, variant


def words(store) -> dict[str, int]:
    return dict(CatalogWord.objects.filter(store=store).values_list("word", "products"))


def write(store, *records):
    mirror.write("products", store, list(records), timezone.now())


def test_each_word_counts_the_active_products_that_hold_it(alice_store):
    fill_catalog(alice_store)
    counted = words(alice_store)
    assert counted["summer"] == 4  # two dresses by title, the hat and the sandals by tag
    assert counted["dress"] == 2  # the draft dress does not count
    assert counted["floral"] == 1  # from a description
    assert "draft" not in counted
    assert not [w for w in counted if len(w) < 3 or any(c.isdigit() for c in w)]


def test_renaming_a_product_moves_its_words(alice_store):
    fill_catalog(alice_store)
    write(alice_store, product("3", "Winter Parka", [variant("31", "120.00", Size="M", Colour="Black")],
                               product_type="Jacket", description="Warm wool parka."))  # fmt: skip
    counted = words(alice_store)
    assert "coat" not in counted
    assert counted["parka"] == 1 and counted["jacket"] == 1 and counted["winter"] == 1


def test_a_product_leaving_the_catalog_takes_its_words_along(alice_store):
    fill_catalog(alice_store)
    Product.objects.filter(store=alice_store, platform_id="6").delete()  # the Straw Hat, as a delete webhook does
    tote = next(r for r in CATALOG if r["title"] == "Canvas Tote")
    write(alice_store, {**tote, "status": "archived"})
    counted = words(alice_store)
    assert "straw" not in counted and "canvas" not in counted and "tote" not in counted
    assert counted["summer"] == 3


def test_publishing_a_draft_adds_its_words(alice_store):
    fill_catalog(alice_store)
    draft = next(r for r in CATALOG if r["title"] == "Draft Dress")
    write(alice_store, {**draft, "status": "active"})
    assert words(alice_store)["draft"] == 1
    assert words(alice_store)["dress"] == 3


def test_writing_the_same_catalog_again_changes_no_count(alice_store):
    fill_catalog(alice_store)
    before = words(alice_store)
    fill_catalog(alice_store)
    assert words(alice_store) == before


def test_the_rebuild_counts_exactly_what_the_writes_kept(alice_store, bob_store):
    fill_catalog(alice_store)
    fill_catalog(bob_store)
    write(alice_store, product("3", "Winter Parka", [variant("31", "120.00")], description="Quilted, warm."))
    Product.objects.filter(store=alice_store, platform_id="5").delete()
    mirror.prune("products", alice_store, older_than=timezone.now())  # a full sync that found nothing else
    kept, bobs = words(alice_store), words(bob_store)
    assert kept == {}
    fill_catalog(alice_store)
    kept = words(alice_store)
    assert rebuild_catalog_words(alice_store) == len(kept)
    assert words(alice_store) == kept
    assert words(bob_store) == bobs


def test_a_typo_is_corrected_to_the_stores_own_words(alice_store):
    fill_catalog(alice_store)
    lnen, shirts, nonsense = correct_words(alice_store, ["lnen", "shirts", "qqqzz"])
    assert not lnen.known and lnen.corrections[0] == "linen"
    assert shirts.known  # the catalog has "shirt": stemming matches it, nothing to correct
    assert not nonsense.known and nonsense.corrections == ()
    assert [p.title for p in search_products(alice_store, "lnen shrit")] == ["Linen Shirt"]


def test_a_new_products_words_correct_typos_at_once(alice_store):
    fill_catalog(alice_store)
    assert search_products(alice_store, "twed jaket") == []
    write(alice_store, product("20", "Tweed Jacket", [variant("201", "150.00")], product_type="Jacket"))
    assert [p.title for p in search_products(alice_store, "twed jaket")] == ["Tweed Jacket"]


def test_another_stores_words_never_correct_a_typo(alice_store, bob_store):
    fill_catalog(alice_store)
    write(bob_store, product("20", "Tweed Jacket", [variant("201", "150.00")], product_type="Jacket"))
    (twed,) = correct_words(alice_store, ["twed"])
    assert twed.corrections == ()
    assert search_products(alice_store, "twed") == []
    assert "tweed" not in words(alice_store) and "summer" not in words(bob_store)


def test_deleting_a_store_with_its_catalog_leaves_no_words(alice_store):
    fill_catalog(alice_store)
    store_id = alice_store.pk
    alice_store.delete()
    assert not CatalogWord.objects.filter(store_id=store_id).exists()


@pytest.mark.django_db(transaction=True)
def test_writers_of_one_store_at_once_keep_the_counts_exact(alice_store):
    """Sync pages and webhooks of one store may write at once: each waits for the word rows the other holds, and
    every count comes out right (none lost, none doubled)."""
    words_of = ["linen", "cotton", "wool", "silk", "denim"]
    pages = [
        [product(f"{n}-{i}", f"{words_of[(n + i) % 5].title()} Shirt {words_of[i % 5].title()}",
                 [variant(f"{n}-{i}-v", "20.00")]) for i in range(30)]
        for n in range(4)
    ]  # fmt: skip
    start, errors = threading.Barrier(len(pages)), []

    def write_page(records):
        try:
            start.wait()
            with transaction.atomic():
                write(alice_store, *records)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write_page, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    counted = words(alice_store)
    assert counted["shirt"] == 120
    assert rebuild_catalog_words(alice_store) == len(counted)
    assert words(alice_store) == counted


def test_the_rebuild_command_recounts_the_named_stores(alice_store, bob_store):
    fill_catalog(alice_store)
    CatalogWord.objects.filter(store=alice_store, word="summer").delete()  # as if the table had drifted
    out = StringIO()
    call_command("rebuild_catalog_words", alice_store.slug, stdout=out)
    assert words(alice_store)["summer"] == 4
    assert out.getvalue() == f"{alice_store.slug}: {len(words(alice_store))} words\n"
    with pytest.raises(CommandError, match="no-such-store"):
        call_command("rebuild_catalog_words", "no-such-store")
