"""The demo's search: SQLite FTS5, run for real in a separate process on a fresh SQLite database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ["summer dress", "sumer dres", "dresses under 50", "parka", "winter coat", "red dress",
           '"); DROP TABLE integrations_product; --', 'NEAR(dress "', "*", "AND OR NOT"]


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    database = tmp_path_factory.mktemp("sqlite") / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "integrations" / "sqlite_search_probe.py"), json.dumps(QUERIES)],
        cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_demo_database_finds_products_by_their_words(found):
    assert set(found["summer dress"][:2]) == {"Summer Dress", "Linen Summer Dress"}


def test_the_demo_database_still_finds_a_typo_by_the_first_letters(found):
    assert set(found["sumer dres"][:2]) == {"Summer Dress", "Linen Summer Dress"}


def test_the_demo_database_applies_filters_from_the_text(found):
    assert found["dresses under 50"] == ["Summer Dress"]
    assert found["red dress"] == ["Summer Dress"]
    assert found["filters: Dresses"] == ["Linen Summer Dress", "Summer Dress"]


def test_a_renamed_product_is_found_by_its_new_name_only(found):
    assert found["parka"] == ["Winter Parka"]
    assert "Winter Coat" not in found["winter coat"]


def test_fts_syntax_in_shopper_text_is_searched_as_words(found):
    for text in QUERIES[-4:]:
        assert isinstance(found[text], list)


def test_the_demo_database_keeps_stores_apart(found):
    assert found["bob: summer dress"] == []
