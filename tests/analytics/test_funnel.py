"""Funnels on a branching flow: entered and dropped per node, from the rollups and straight from the log."""

from datetime import date

import pytest

from analytics.funnels import funnel
from analytics.periods import Period, store_zone
from flows import services as flow_services
from tests.analytics.world import Log, at
from tests.flowkit import assistant_graph


@pytest.fixture
def assistant(alice_store):
    flow = flow_services.create_flow(alice_store, name="Assistant", graph=assistant_graph())
    flow_services.publish_flow(flow)
    flow.refresh_from_db()
    return flow


PATHS = {
    1: ["welcome", "menu", "ask_email", "ask_order", "confirm", "bye"],  # finished
    2: ["welcome", "menu", "ask_email"],  # dropped at ask_email
    3: ["welcome", "menu"],  # dropped at menu
    4: ["welcome", "menu", "ask_height", "check", "tall", "bye"],  # finished
    5: ["welcome", "menu", "human"],  # handed off: the handoff node has no way on, so it finished
    6: ["welcome", "menu", "ask_height", "menu"],  # looped back to the menu and left there
}


@pytest.mark.parametrize("use_rollups", [True, False])
def test_it_counts_entries_and_drop_offs_on_every_branch(alice_store, assistant, use_rollups):
    log = Log(alice_store)
    for conversation, path in PATHS.items():
        log.chat(conversation, conversation, at(f"2026-03-0{1 + conversation % 2} 10:00"), flow=assistant.pk,
                 path=path)
    log.chat(7, 7, at("2026-03-05 10:00"), flow=assistant.pk, path=["welcome"])  # outside the period
    log.chat(8, 8, at("2026-03-01 10:00"), flow=assistant.pk + 1000, path=["welcome"])  # another flow
    window = Period(date(2026, 3, 1), date(2026, 3, 2), store_zone(alice_store))

    report = funnel(alice_store, assistant, window, use_rollups=use_rollups)

    rows = {n["node_id"]: (n["entered"], n["dropped"], n["finished"]) for n in report["nodes"]}
    assert rows == {
        "welcome": (6, 0, 0), "menu": (6, 2, 0), "ask_email": (2, 1, 0), "ask_order": (1, 0, 0),
        "confirm": (1, 0, 0), "ask_height": (2, 0, 0), "check": (1, 0, 0), "tall": (1, 0, 0),
        "regular": (0, 0, 0), "human": (1, 0, 1), "bye": (2, 0, 2),
    }
    assert report["conversations"] == 6 and report["finished"] == 3 and report["dropped"] == 3
    assert [n["node_id"] for n in report["nodes"]][:2] == ["welcome", "menu"]  # drawn from the start
    menu = next(n for n in report["nodes"] if n["node_id"] == "menu")
    assert menu["drop_rate"] == pytest.approx(2 / 6) and menu["label"] == "Buttons"
    regular = next(n for n in report["nodes"] if n["node_id"] == "regular")
    assert regular["drop_rate"] is None  # nobody entered: no division by zero


@pytest.mark.parametrize("use_rollups", [True, False])
def test_a_conversation_that_spans_midnight_stops_at_its_last_node(alice_store, assistant, use_rollups):
    log = Log(alice_store)
    log.chat(1, 1, at("2026-03-01 23:59:40"), flow=assistant.pk, path=["welcome", "menu", "ask_email", "ask_order"])
    window = Period(date(2026, 3, 1), date(2026, 3, 2), store_zone(alice_store))
    report = funnel(alice_store, assistant, window, use_rollups=use_rollups)
    rows = {n["node_id"]: (n["entered"], n["dropped"]) for n in report["nodes"] if n["entered"]}
    assert rows == {"welcome": (1, 0), "menu": (1, 0), "ask_email": (1, 0), "ask_order": (1, 1)}


def test_nodes_no_longer_in_the_flow_are_listed_as_removed(alice_store, assistant):
    Log(alice_store).chat(1, 1, at("2026-03-01 10:00"), flow=assistant.pk, path=["welcome", "old_step"])
    report = funnel(alice_store, assistant, Period(date(2026, 3, 1), date(2026, 3, 1), store_zone(alice_store)))
    removed = report["nodes"][-1]
    assert (removed["node_id"], removed["removed"], removed["dropped"]) == ("old_step", True, 1)


def test_a_flow_nobody_used_has_zeros_and_a_notice(alice_store, assistant):
    report = funnel(alice_store, assistant, Period(date(2026, 3, 1), date(2026, 3, 1), store_zone(alice_store)))
    assert report["conversations"] == 0 and all(n["entered"] == 0 for n in report["nodes"])
    assert report["notice"] == "No conversation went through this flow in this period."


def test_the_built_in_handoff_finishes_the_flow(alice_store, assistant):
    Log(alice_store).chat(1, 1, at("2026-03-01 10:00"), flow=assistant.pk, path=["welcome", "menu", "@handoff"])
    report = funnel(alice_store, assistant, Period(date(2026, 3, 1), date(2026, 3, 1), store_zone(alice_store)))
    built_in = report["nodes"][-1]
    assert (built_in["node_id"], built_in["removed"], built_in["label"]) == ("@handoff", False, "Talk to a person")
    assert (built_in["finished"], report["dropped"]) == (1, 0)
