"""A/B results: conversions per variant, Wilson intervals and the z-test checked against scipy, verdicts."""

from datetime import date, timedelta

import pytest
from scipy import stats as scipy_stats

from analytics.experiments import experiments
from analytics.periods import Period, store_zone
from analytics.stats import sample_size_per_group, two_proportion_z_test, wilson_interval
from flows import services as flow_services
from tests.analytics.world import at, records
from tests.flowkit import edge, graph, node


@pytest.fixture
def split_flow(alice_store):
    raw = graph(
        [node("hello", "send_message", text="Hi"),
         node("split", "ab_split", experiment="Greeting", variants=[
             {"id": "a", "name": "Short", "weight": 45}, {"id": "b", "name": "Long", "weight": 45},
             {"id": "c", "name": "Emoji", "weight": 10}]),
         node("short", "send_message", text="Deals?"), node("long", "send_message", text="Want to see deals?"),
         node("emoji", "send_message", text="Deals!")],
        [edge("hello", "split"), edge("split", "short", "a"), edge("split", "long", "b"), edge("split", "emoji", "c")],
    )
    flow = flow_services.create_flow(alice_store, name="Greeting test", graph=raw)
    flow_services.publish_flow(flow)
    return flow


def seed_split(store, flow, counts: dict[str, tuple[int, int]], goal="added_to_cart", first_id=1):
    """``counts`` maps a variant to (conversations, conversions); conversions happen after the split."""
    rows, conversation = [], first_id
    start = at("2026-03-02 10:00")
    for variant, (n, converted) in counts.items():
        for i in range(n):
            when = start + timedelta(seconds=conversation)
            rows.append(("conversation_started", when, conversation, conversation, None, "", {}))
            rows.append(("variant", when, conversation, conversation, flow.pk, "split",
                         {"experiment": "Greeting", "variant": variant}))
            if i < converted:
                rows.append((goal, when + timedelta(seconds=1), conversation, conversation, flow.pk, "short", {}))
            conversation += 1
    records(store, rows)


def window(store):
    return Period(date(2026, 3, 1), date(2026, 3, 3), store_zone(store))


def test_a_clear_winner_is_named_with_its_confidence(alice_store, split_flow):
    seed_split(alice_store, split_flow, {"a": (200, 20), "b": (200, 40)})
    report = experiments(alice_store, window(alice_store))
    (split,) = report["experiments"]
    a, b, c = split["variants"]
    assert (a["name"], a["conversations"], a["conversions"], a["rate"]) == ("Short", 200, 20, 0.1)
    assert (b["name"], b["conversations"], b["conversions"], b["rate"]) == ("Long", 200, 40, 0.2)
    assert split["experiment"] == "Greeting"

    scipy_ci = scipy_stats.binomtest(20, 200).proportion_ci(confidence_level=0.95, method="wilson")
    assert (a["ci_low"], a["ci_high"]) == pytest.approx((scipy_ci.low, scipy_ci.high), abs=1e-9)
    chi2, p_value, _, _ = scipy_stats.chi2_contingency([[20, 180], [40, 160]], correction=False)
    versus_b = split["comparisons"][0]
    assert versus_b["p_value"] == pytest.approx(p_value, rel=1e-9)  # the z-test is the 2x2 chi-square test
    assert versus_b["z"] ** 2 == pytest.approx(chi2, rel=1e-9) and versus_b["z"] > 0
    assert versus_b["verdict"] == "Long converts better than Short, 95% confidence."
    assert split["verdict"] == "Long converts better than Short, 95% confidence."

    # The third variant got no traffic: zeros, no interval, and a plain message instead of a division by zero.
    assert (c["conversations"], c["conversions"], c["rate"], c["ci_low"]) == (0, 0, None, None)
    assert split["comparisons"][1]["verdict"] == "Not enough data yet: Emoji has no conversations."


def test_too_little_data_says_how_many_more_conversations_are_needed(alice_store, split_flow):
    seed_split(alice_store, split_flow, {"a": (300, 30), "b": (300, 36)})
    (split,) = experiments(alice_store, window(alice_store))["experiments"]
    versus_b = split["comparisons"][0]
    assert not versus_b["significant"] and versus_b["p_value"] > 0.05
    # Per group for 10% vs 12% at 95% confidence and 80% power, by hand:
    # (1.95996·sqrt(2·0.11·0.89) + 0.84162·sqrt(0.09 + 0.1056))² / 0.02² = 3840.9 -> 3841
    assert versus_b["more_needed"] == 2 * (3841 - 300)
    assert versus_b["verdict"] == f"Not enough data yet: about {2 * (3841 - 300)} more conversations needed."


def test_a_goal_reached_before_the_split_is_not_a_conversion(alice_store, split_flow):
    start = at("2026-03-02 10:00")
    records(alice_store, [
        ("conversation_started", start, 1, 1, None, "", {}),
        ("added_to_cart", start + timedelta(seconds=1), 1, 1, split_flow.pk, "hello", {}),
        ("variant", start + timedelta(seconds=2), 1, 1, split_flow.pk, "split", {"experiment": "Greeting", "variant": "a"}),
    ])
    (split,) = experiments(alice_store, window(alice_store))["experiments"]
    assert split["variants"][0]["conversions"] == 0


def test_the_goal_can_be_one_event_or_an_attributed_order(alice_store, split_flow):
    seed_split(alice_store, split_flow, {"a": (10, 4), "b": (10, 0)}, goal="lead_captured")
    by_goal = {goal: experiments(alice_store, window(alice_store), goal=goal)["experiments"][0]["variants"][0]
               for goal in ("any", "lead_captured", "added_to_cart", "order")}
    assert {goal: v["conversions"] for goal, v in by_goal.items()} == {
        "any": 4, "lead_captured": 4, "added_to_cart": 0, "order": 0}
    with pytest.raises(ValueError, match="Choose the goal"):
        experiments(alice_store, window(alice_store), goal="nonsense")


def test_a_tiny_difference_plans_for_a_20_percent_lift(alice_store, split_flow):
    seed_split(alice_store, split_flow, {"a": (1000, 100), "b": (1000, 101)})
    (split,) = experiments(alice_store, window(alice_store))["experiments"]
    assert split["comparisons"][0]["more_needed"] == 2 * (3841 - 1000)


def test_no_conversions_at_all_is_not_a_verdict(alice_store, split_flow):
    seed_split(alice_store, split_flow, {"a": (50, 0), "b": (50, 0)})
    (split,) = experiments(alice_store, window(alice_store))["experiments"]
    assert split["comparisons"][0]["verdict"] == "Not enough data yet: no conversation has converted."


def test_statistics_match_independent_values():
    assert sample_size_per_group(0.10, 0.15) == 686  # the textbook value (Fleiss, no continuity correction)
    assert sample_size_per_group(0.2, 0.2) is None
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(0, 10)
    assert low == pytest.approx(0, abs=1e-12) and high == pytest.approx(scipy_stats.binomtest(0, 10).proportion_ci(method="wilson").high)
    assert two_proportion_z_test(0, 10, 0, 10) is None and two_proportion_z_test(1, 0, 1, 5) is None
    test = two_proportion_z_test(45, 100, 60, 110)
    assert test.p_value == pytest.approx(2 * scipy_stats.norm.sf(abs(test.z)))
    assert test.p_value == pytest.approx(
        scipy_stats.chi2_contingency([[45, 55], [60, 50]], correction=False)[1], rel=1e-9)


def test_no_split_in_the_period_gives_a_notice(alice_store, split_flow):
    report = experiments(alice_store, window(alice_store))
    assert report["experiments"] == [] and "No conversation went through an A/B split" in report["notice"]


@pytest.mark.parametrize(("a", "b", "verdict"), [
    ((400, 400), (400, 400), "No clear winner: A and B convert alike."),  # everyone converted: nothing varies
    # 10% vs 10.1%: planned for a 20% lift (10% vs 12%: 3,841 each), which 4,000 each would have shown
    ((4000, 400), (4000, 404), "No clear winner: A and B convert alike (p = 0.88)."),
])
def test_enough_data_without_a_difference_says_so(a, b, verdict):
    from analytics.experiments import compare

    def row(name, n_x):
        return {"variant": name.lower(), "name": name, "conversations": n_x[0], "conversions": n_x[1]}

    result = compare(row("A", a), row("B", b))
    assert (result["verdict"], result["more_needed"], result["significant"]) == (verdict, 0, False)
