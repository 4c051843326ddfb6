"""Fallback messages grouped by similarity, and CSV exports whose cells cannot run as formulas."""

import csv
import io
from datetime import date, timedelta

import pytest

from analytics.exports import csv_lines, csv_safe, event_rows
from analytics.periods import Period, store_zone
from analytics.unanswered import unanswered
from tests.analytics.world import at, records

FALLBACKS = [
    ("Do you ship to Canada?", 3), ("do you ship to canada", 2), ("Shipping to Canada?", 1),
    ("Can I pay with bitcoin", 2), ("pay with bitcoin?", 1), ("asdf", 1),
]


def window(store):
    return Period(date(2026, 3, 1), date(2026, 3, 3), store_zone(store))


def seed_fallbacks(store):
    start, rows, n = at("2026-03-02 10:00"), [], 0
    for text, times in FALLBACKS:
        for _ in range(times):
            n += 1
            rows.append(("fallback", start + timedelta(seconds=n), n, n, None, "menu", {"text": text}))
    rows.append(("fallback", at("2026-03-09 10:00"), 99, 99, None, "menu", {"text": "outside the period"}))
    records(store, rows)


def test_similar_questions_are_grouped_most_frequent_first(alice_store):
    seed_fallbacks(alice_store)
    report = unanswered(alice_store, window(alice_store))
    assert report["messages"] == 10
    assert [(g["count"], g["label"]) for g in report["groups"]] == [
        (6, "Do you ship to Canada?"), (3, "Can I pay with bitcoin"), (1, "asdf"),
    ]
    assert report["groups"][0]["questions"] == ["Do you ship to Canada?", "do you ship to canada", "Shipping to Canada?"]


def test_no_fallbacks_gives_a_notice(alice_store):
    report = unanswered(alice_store, window(alice_store))
    assert report["groups"] == [] and report["notice"].startswith("Every message in this period was understood")


def parse(header, rows) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(csv_lines(header, rows)), newline="")))


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_a_spreadsheet_would_run_are_neutralized(text):
    assert csv_safe(text) == "'" + text
    assert parse(["h"], [[text]])[1] == ["'" + text]


def test_numbers_and_plain_text_are_left_alone():
    assert csv_safe(-3) == -3 and csv_safe(0.5) == 0.5 and csv_safe("Carol") == "Carol" and csv_safe(None) == ""


def test_the_event_export_has_every_event_of_the_period_with_safe_cells(alice_store):
    records(alice_store, [
        ("fallback", at("2026-03-02 10:00"), 1, 1, None, "=cmd|' /C calc'!A0", {"text": "hi"}),
        ("fallback", at("2026-03-05 10:00"), 2, 2, None, "menu", {"text": "later"}),
    ])
    lines = parse(*event_rows(alice_store, window(alice_store)))
    assert lines[0] == ["id", "at", "name", "conversation_id", "contact_id", "flow_id", "flow_version_id", "node_id",
                        "data"]
    assert len(lines) == 2  # the event of 5 March is outside the period
    assert lines[1][1] == "2026-03-02T10:00:00+00:00" and lines[1][2] == "fallback"
    assert lines[1][7] == "'=cmd|' /C calc'!A0" and lines[1][8] == '{"text": "hi"}'
