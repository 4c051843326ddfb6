"""Sync benchmark: a full sync of N products with variants from the fake Shopify, against a bulk insert floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shopbot_bench_sync .venv/bin/python bench/sync_bench.py [N]

It creates its own throw-away database (``test_`` + the name in DATABASE_URL) and drops it afterwards.
Throttling is off in the fake, so the figures are the sync's own cost: the ShopifyAPI client, the fake's
GraphQL validation and execution (in this process's other thread, on the same cores), parsing, and the
bulk upserts with their per-page transaction and cursor. The floor is the same product and variant rows
written straight to the database with ``bulk_create`` in batches of 1,000, in the same run.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shopbot_bench_sync")

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection as db  # noqa: E402
from django.utils.dateparse import parse_datetime  # noqa: E402

from tests.fakes.shopify import FakeShopify  # noqa: E402

VARIANTS = 3
TOKEN = "shpat_bench"  # noqa: S105 (the fake's token)


def make_shop(fake: FakeShopify, count: int):
    shop = fake.add_shop("bench-outfitters.myshopify.com", token=TOKEN)
    shop.throttle = False
    colours = ["Sage", "Navy", "Rust", "Sand", "Ink", "Moss", "Clay", "Fog"]
    for i in range(count):
        shop.add_product(
            f"Merino Crew {colours[i % 8]} {i}",
            handle=f"merino-crew-{i}",
            description=f"Soft merino crew neck number {i}.",
            descriptionHtml=f"<p>Soft merino crew neck number {i}.</p>",
            images=[(f"https://cdn.example/p/{i}.jpg", "Merino crew")],
            variants=[
                {"title": size, "price": f"{49 + v}.00", "options": {"Size": size}, "sku": f"MC-{i}-{size}"}
                for v, size in enumerate(["S", "M", "L"][:VARIANTS])
            ],
        )
    return shop


def bulk_insert_floor(store, shop) -> float:
    """The same rows, written directly: the least a sync could cost in database work."""
    from integrations.models import Product, Variant

    rows = list(shop.tables["Product"].rows.values())
    started = time.perf_counter()
    for start in range(0, len(rows), 1000):
        batch = rows[start : start + 1000]
        products = Product.objects.bulk_create([
            Product(
                store=store, platform_id=r["id"].rsplit("/", 1)[1], title=r["title"], handle=r["handle"],
                description=r["description"], description_html=r["descriptionHtml"], vendor=r["vendor"],
                tags=r["tags"], status="active",
                images=[{"url": m["image"]["url"], "alt": m["alt"]} for m in r["_media"]],
                platform_updated_at=parse_datetime(r["updatedAt"]),
                platform_created_at=parse_datetime(r["createdAt"]),
            )
            for r in batch
        ])  # fmt: skip
        Variant.objects.bulk_create([
            Variant(
                store=store, product=p, platform_id=v["id"].rsplit("/", 1)[1], title=v["title"],
                options={o["name"]: o["value"] for o in v["selectedOptions"]}, price=Decimal(v["price"]),
                sku=v["sku"], inventory_quantity=v["inventoryQuantity"], position=v["position"],
                platform_updated_at=parse_datetime(v["updatedAt"]),
            )
            for p, r in zip(products, batch, strict=True)
            for v in r["_variants"]
        ])  # fmt: skip
    return time.perf_counter() - started


def timed_sync(shop, store, count: int) -> float:
    """A full sync of the fake shop into ``store``; prints and returns its seconds."""
    from integrations.models import Connection, Product, Variant
    from integrations.sync import run_sync

    connection = Connection.objects.create(
        store=store, platform="shopify", shop=shop.domain, credentials=json.dumps({"access_token": TOKEN})
    )
    shop.log.clear()
    started = time.perf_counter()
    result = run_sync(connection.pk, full=True)
    seconds = time.perf_counter() - started
    assert result.error == "", result.error
    assert Product.objects.filter(store=store).count() == count
    assert Variant.objects.filter(store=store).count() == count * VARIANTS
    mode = "bulk operation" if any(e["operation"] == "BulkRun" for e in shop.log) else "paged queries"
    print(
        f"full sync ({mode}): {count} products, {count * VARIANTS} variants in {seconds:.1f}s, "
        f"{len(shop.log)} requests, {result.pages} pages = {count / seconds:,.0f} products/s"
    )
    return seconds


def main(count: int) -> None:
    from integrations.models import Product
    from tenants.models import Store

    fake = FakeShopify().start()
    settings.SHOPIFY_API_BASE_URL = fake.url
    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        t0 = time.perf_counter()
        shop = make_shop(fake, count)
        print(f"fake shop: {count} products x {VARIANTS} variants built in {time.perf_counter() - t0:.1f}s")
        floor = Store.objects.create(name="Floor", slug="floor")
        name, version = settings.DATABASES["default"]["NAME"], settings.SHOPIFY_API_VERSION
        print(f"database: {db.vendor} ({name}), API version {version}")
        timings = {}
        for mode, minimum in (("bulk operation", 0), ("paged queries", 10**9)):
            settings.SHOPIFY_BULK_MIN_PRODUCTS = minimum
            timings[mode] = timed_sync(shop, Store.objects.create(name=mode, slug=mode.split()[0]), count)
        floor_seconds = bulk_insert_floor(floor, shop)
        assert Product.objects.filter(store=floor).count() == count
        rate = count / floor_seconds
        print(f"bulk insert: the same rows in {floor_seconds:.1f}s = {rate:,.0f} products/s (the floor)")
        for mode, seconds in timings.items():
            print(f"ratio: a full sync by {mode} takes {seconds / floor_seconds:.1f}x the floor")
    finally:
        db.creation.destroy_test_db(old_name, verbosity=0)
        fake.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
