"""Run by test_search_sqlite.py in its own process on a fresh SQLite file (the demo's database): migrate,
write the test catalog through the mirror, search, and print what was found as JSON."""

import json
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from integrations import mirror  # noqa: E402
from integrations.queries import search_products  # noqa: E402
from integrations.search_filters import Filters  # noqa: E402
from tenants import services  # noqa: E402
from tenants.models import User  # noqa: E402
from tests.integrations.catalog_world import CATALOG, fill_catalog  # noqa: E402

call_command("migrate", verbosity=0)
alice = User.objects.create_user("alice@alice.example", "pw-not-used-0123456789")
bob = User.objects.create_user("bob@bob.example", "pw-not-used-0123456789")
store, bob_store = services.create_store(alice, name="Alice", slug="alice"), services.create_store(bob, name="B", slug="b")
fill_catalog(store)
renamed = [{**CATALOG[2], "title": "Winter Parka"}]  # an update must reach the FTS table too
mirror.write("products", store, renamed, timezone.now())
queries = json.loads(sys.argv[1])
out = {}
for text in queries:
    out[text] = [p.title for p in search_products(store, text)]
out["bob: summer dress"] = [p.title for p in search_products(bob_store, "summer dress")]
out["filters: Dresses"] = [p.title for p in search_products(store, "", Filters(collection="Dresses"))]
print(json.dumps(out))
