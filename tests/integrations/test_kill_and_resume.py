"""A sync process killed with SIGKILL mid-way: the next run resumes at the first page not written."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection as db
from django.utils import timezone

from integrations.models import Connection, Product, Variant
from integrations.sync import run_sync

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = db.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _answered(shop, operation: str) -> int:
    return sum(1 for e in shop.log if e["operation"] == operation and e.get("answer") == "200")


@pytest.mark.django_db(transaction=True)
def test_a_sync_killed_mid_way_resumes_and_duplicates_nothing(alice_store, alice_connection, alice_shop, fake):
    for i in range(120):
        alice_shop.add_product(f"Enamel Pin {i}", variants=[{"title": s, "price": "9.00"} for s in "ABC"])
    alice_shop.delays["Products"] = 0.4  # slow enough to be killed in the middle
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": _database_url(),
           "SHOPIFY_API_BASE_URL": fake.url}  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "sync_store", "alice", "--full"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _answered(alice_shop, "Products") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.kill()
        worker.wait()
    alice_shop.delays.clear()

    written = Product.objects.filter(store=alice_store).count()
    assert 0 < written < 120 and written % 20 == 0  # whole pages only
    assert Variant.objects.filter(store=alice_store).count() == written * 3
    connection = Connection.objects.get(pk=alice_connection.pk)
    resume_at = connection.cursors["products"]["run"]["after"]
    assert connection.sync_lease_until is not None  # the dead worker still holds the lease...
    assert not run_sync(connection.pk, full=True).ran
    Connection.objects.filter(pk=connection.pk).update(sync_lease_until=timezone.now() - timedelta(seconds=1))
    alice_shop.log.clear()  # ...until it runs out

    assert run_sync(connection.pk, full=True).error == ""

    assert next(e for e in alice_shop.log if e["operation"] == "Products")["variables"]["after"] == resume_at
    assert Product.objects.filter(store=alice_store).count() == 120
    assert Variant.objects.filter(store=alice_store).count() == 360


@pytest.mark.django_db(transaction=True)
def test_a_woocommerce_sync_killed_mid_way_resumes_at_its_page_and_duplicates_nothing(alice_store, woo, alice_site):
    from tests.integrations.woo_world import connect_woo

    connection = connect_woo(alice_store, woo, alice_site)
    for i in range(450):
        alice_site.add_product(f"Tote {i}")
    alice_site.delays["products"] = 0.4  # slow enough to be killed in the middle
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": _database_url()}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "sync_store", "alice", "--full"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while alice_site.served.get("products", 0) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.kill()
        worker.wait()
    alice_site.delays.clear()

    written = Product.objects.filter(store=alice_store).count()
    assert 0 < written < 450 and written % 100 == 0  # whole pages only
    connection.refresh_from_db()
    resume_at = connection.cursors["products"]["run"]["after"]
    Connection.objects.filter(pk=connection.pk).update(sync_lease_until=timezone.now() - timedelta(seconds=1))
    alice_site.requests.clear()

    assert run_sync(connection.pk, full=True).error == ""

    first = next(r for r in alice_site.requests if r["endpoint"] == "products" and r.get("per_page") == "100")
    assert first["page"] == resume_at
    assert Product.objects.filter(store=alice_store).count() == 450
    assert Variant.objects.filter(store=alice_store).count() == 450
