"""Search and recommendation benchmark: 100,000 products, 1,000 varied shopper queries, recommendation look-ups.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shopbot_bench_search \
        .venv/bin/python bench/search_bench.py [N] [--keep]

It creates its own throw-away database (``test_`` + the name in DATABASE_URL) and drops it afterwards. With
``--keep`` it keeps that database, and a later ``--keep`` run that finds the same N products there (migrated
to the current schema) reuses them instead of writing the catalog again (about 200 s at 100,000).
The catalog (N products, default 100,000, two variants each, 20 collections, descriptions drawing on 5,000
further words) is written through the mirror's upserts, as a sync writes it (so the word table's triggers
run); orders (N / 2, one to four lines each) are bulk-inserted. Then:

- 1,000 queries built from the catalog's words with a fixed seed: a third with a typo, half with a filter
  in the text (price, size, colour, "in stock", a collection's name), some with two. Each runs through
  ``integrations.queries.search_products`` (parse, filter, rank, load variants), timed one by one.
- The floor, in the same run: loading 10 known products with their variants by id
  (``get_products_by_ids``), the least any search answer costs.
- Recommendation look-ups for 1,000 random products (bought together and similar) and 1,000 contacts
  (two bought, three viewed), after ``refresh_recommendations`` (timed once).

After writing the catalog and after the refresh it runs ``VACUUM ANALYZE``, as autovacuum would soon after in
production: test servers often run with autovacuum off, and the planner then works from an empty table's
statistics.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shopbot_bench_search")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.db import connection as db  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

TYPES = ["dress", "shirt", "coat", "hat", "sandals", "jeans", "sweater", "skirt", "jacket", "boots", "scarf",
         "shorts", "blouse", "hoodie", "trousers", "cardigan", "sneakers", "belt", "bag", "socks"]  # fmt: skip
ADJECTIVES = ["summer", "linen", "wool", "cotton", "floral", "classic", "slim", "relaxed", "vintage", "organic",
              "striped", "cropped", "oversized", "lightweight", "waterproof", "knitted", "denim", "silk",
              "leather", "quilted", "ribbed", "pleated", "tailored", "casual"]  # fmt: skip
COLOURS = ["red", "blue", "green", "black", "white", "grey", "pink", "navy", "beige", "olive", "sage", "brown"]
SIZES = ["XS", "S", "M", "L", "XL"]
SEASONS = ["Summer Sale", "New In", "Workwear", "Weekend", "Outdoor", "Basics", "Party", "Holiday"]
# A shop's descriptions hold thousands of distinct words (fabrics, places, care notes), so typo correction has a
# realistic word table to search: 5,000 made-up words, three in each description, chosen without the seeded
# generator so that the rest of the catalog stays as it was.
_SYLLABLES = ["ka", "lo", "mi", "ren", "dus", "tor", "vel", "sha", "pim", "gro", "nel", "bax", "quin", "fe", "zo",
              "lur", "mab", "tis", "wen", "cor"]  # fmt: skip
VOCABULARY = random.Random(5).sample(sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES}),
                                     5000)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def figures(values: list[float]) -> str:
    return (f"p50 {statistics.median(values):.2f} ms, p95 {percentile(values, 95):.2f} ms, "
            f"p99 {percentile(values, 99):.2f} ms")  # fmt: skip


def product_record(i: int, rng: random.Random) -> dict:
    kind, adjective, second = rng.choice(TYPES), rng.choice(ADJECTIVES), rng.choice(ADJECTIVES)
    colour = rng.choice(COLOURS)
    title = f"{adjective.title()} {second.title()} {kind.title()} {i}"
    price = Decimal(rng.randrange(900, 25000)) / 100
    sizes = rng.sample(SIZES, 2)
    return {
        "platform_id": str(i), "title": title, "handle": f"p-{i}",
        "description": f"A {adjective} {kind} in {colour}, made to last. Style number {i}. "
                       + " ".join(VOCABULARY[(i * k + k) % len(VOCABULARY)] for k in (7, 31, 101)) + ".",
        "description_html": "", "vendor": rng.choice(["Alder", "Birch", "Cedar", "Dune"]),
        "product_type": kind.title(), "tags": [adjective, second] + (["consumable"] if kind == "socks" else []),
        "status": "active", "images": [], "url": "", "platform_created_at": None, "platform_updated_at": None,
        "variants": [
            {"platform_id": f"{i}{n}", "title": f"{colour.title()} / {size}",
             "options": {"Colour": colour.title(), "Size": size}, "price": price, "compare_at_price": None,
             "sku": f"S-{i}-{size}", "inventory_quantity": rng.choice([0, 3, 8, 20]), "position": n + 1,
             "platform_updated_at": None}
            for n, size in enumerate(sizes)
        ],
    }  # fmt: skip


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap"])
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


def make_queries(rng: random.Random, count: int) -> list[str]:
    queries = []
    for n in range(count):
        words = [rng.choice(ADJECTIVES), rng.choice(TYPES)] if rng.random() < 0.7 else [rng.choice(TYPES)]
        if n % 3 == 0:
            words = [typo(w, rng) for w in words]
        extra = []
        if rng.random() < 0.5:
            extra.append(rng.choice([f"under {rng.randrange(20, 200)}", f"over {rng.randrange(20, 200)}",
                                     f"size {rng.choice(SIZES)}", rng.choice(COLOURS), "in stock",
                                     rng.choice(SEASONS).lower()]))  # fmt: skip
        if rng.random() < 0.15:
            extra.append(f"between {rng.randrange(10, 60)} and {rng.randrange(60, 250)}")
        queries.append(" ".join(words + extra))
    return queries


def load(store, count: int, rng: random.Random) -> None:
    from integrations import mirror
    from integrations.models import LineItem, Order, Product

    now = timezone.now()
    for start in range(0, count, 1000):
        with transaction.atomic():
            records = [product_record(i, rng) for i in range(start, min(count, start + 1000))]
            mirror.write("products", store, records, now)
    members: dict[str, list[str]] = {name: [] for name in SEASONS + [f"{t.title()}s" for t in TYPES[:12]]}
    for i in range(count):
        members[rng.choice(list(members))].append(str(i))
    with transaction.atomic():
        mirror.write("collections", store, [
            {"platform_id": f"c{n}", "title": name, "handle": name.lower().replace(" ", "-"), "description_html": "",
             "platform_updated_at": None, "product_ids": ids}
            for n, (name, ids) in enumerate(members.items())
        ], now)  # fmt: skip
    ids = list(Product.objects.filter(store=store).values_list("pk", "platform_id"))
    hot = ids[: max(50, count // 50)]  # a few products sell far more, as in a real shop
    orders = Order.objects.bulk_create([
        Order(store=store, platform_id=str(n), name=f"#{n}", email=f"c{n % 5000}@example.com", total=10, currency="USD",
              placed_at=now - timedelta(minutes=n))
        for n in range(count // 2)
    ], batch_size=5000)  # fmt: skip
    lines = []
    for order in orders:
        for k in range(rng.randint(1, 4)):
            pk, pid = rng.choice(hot) if rng.random() < 0.5 else rng.choice(ids)
            lines.append(LineItem(store=store, order=order, platform_id=f"{order.platform_id}-{k}", product_id=pk,
                                  product_platform_id=pid, title="x", price=10))  # fmt: skip
    LineItem.objects.bulk_create(lines, batch_size=5000)


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main(count: int, *, keep: bool = False) -> None:
    from integrations.models import CatalogWord, Product
    from integrations.queries import get_products_by_ids, recommend_for_contact, recommend_for_product, search_products
    from integrations.recommendations import refresh_recommendations
    from tenants import services
    from tenants.models import Store, User

    old_name = db.creation.create_test_db(verbosity=0, autoclobber=not keep, keepdb=keep)
    try:
        rng = random.Random(8)  # a repeatable catalog
        store = Store.objects.filter(slug="b").first()
        if store is not None and Product.objects.filter(store=store).count() == count:
            print(f"catalog: {count} products kept from an earlier --keep run")
        else:
            Store.objects.filter(slug="b").delete()
            store = services.create_store(User.objects.create_user("bench@example.com", "x" * 20), name="B", slug="b")
            started = time.perf_counter()
            load(store, count, rng)
            print(f"catalog: {count} products x 2 variants, 20 collections, {count // 2} orders written in "
                  f"{time.perf_counter() - started:.1f}s")  # fmt: skip
        with db.cursor() as cursor:  # what autovacuum does after such a load (test servers often run without it)
            cursor.execute("VACUUM ANALYZE")
        print(f"database: {db.vendor} ({db.settings_dict['NAME']}); "
              f"{CatalogWord.objects.filter(store=store).count()} distinct catalog words")  # fmt: skip
        rng = random.Random(1008)  # the same queries whether the catalog was written now or kept
        queries = make_queries(rng, 1000)
        for text in queries[:20]:  # warm the caches and the connection
            search_products(store, text)
        search_ms, hits = [], 0
        for text in queries:
            started = time.perf_counter()
            found = search_products(store, text)
            search_ms.append((time.perf_counter() - started) * 1000)
            hits += bool(found)
        typo_ms = [ms for n, ms in enumerate(search_ms) if n % 3 == 0]
        all_ids = list(Product.objects.filter(store=store).values_list("pk", flat=True))
        floor_ms = [timed(lambda: get_products_by_ids(store, rng.sample(all_ids, 10))) for _ in range(1000)]
        print(f"search, 1000 queries ({hits} with results): {figures(search_ms)}")
        print(f"  of which 334 with a typo: {figures(typo_ms)}")
        print(f"floor, 10 products with variants by id: {figures(floor_ms)}")
        print(f"ratio: search p50 is {statistics.median(search_ms) / statistics.median(floor_ms):.1f}x the floor, "
              f"p95 {percentile(search_ms, 95) / percentile(floor_ms, 95):.1f}x")  # fmt: skip
        refresh_ms = timed(lambda: refresh_recommendations(store))
        print(f"refresh_recommendations (Celery, after a sync): {refresh_ms / 1000:.1f}s")
        with db.cursor() as cursor:  # what autovacuum does within a minute of a store's rows being replaced
            cursor.execute("VACUUM ANALYZE integrations_recommendation")
        products = list(Product.objects.filter(store=store, pk__in=rng.sample(all_ids, 1000)))
        product_ms = [timed(lambda p=p: recommend_for_product(store, p)) for p in products]
        contact_ms = [
            timed(lambda: recommend_for_contact(store, purchased_ids=rng.sample(all_ids, 2),
                                                viewed_ids=rng.sample(all_ids, 3)))
            for _ in range(1000)
        ]  # fmt: skip
        print(f"recommend_for_product (bought together + similar), 1000 products: {figures(product_ms)}")
        print(f"recommend_for_contact (2 bought, 3 viewed), 1000 contacts: {figures(contact_ms)}")
        print(f"ratio: product look-up p95 is {percentile(product_ms, 95) / percentile(floor_ms, 95):.1f}x the floor's "
              f"p95, contact look-up p95 {percentile(contact_ms, 95) / percentile(floor_ms, 95):.1f}x")  # fmt: skip
    finally:
        db.creation.destroy_test_db(old_name, verbosity=0, keepdb=keep)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--keep"]
    main(int(arguments[0]) if arguments else 100_000, keep="--keep" in sys.argv[1:])
