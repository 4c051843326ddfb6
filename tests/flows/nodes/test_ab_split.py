from collections import Counter

import pytest

from flows.nodes import ab_split
from flows.nodes.base import AnalyticsEvent
from tests.flows.nodes.helpers import context, invalid

SPLIT = {
    "experiment": "Welcome text",
    "variants": [{"id": "short", "name": "Short", "weight": 70}, {"id": "long", "name": "Long", "weight": 30}],
}


def choose(config: dict, contact_key: str, node_id: str = "split") -> str:
    return ab_split.run(ab_split.Config.model_validate(config), context(node_id, contact_key=contact_key)).next


def test_it_sends_the_contact_down_a_variant_and_reports_it():
    result = ab_split.run(ab_split.Config.model_validate(SPLIT), context("split", contact_key="visitor-42"))
    assert result.next in ("short", "long")
    assert result.events == [AnalyticsEvent("variant", {"experiment": "Welcome text", "variant": result.next})]


def test_the_same_contact_always_gets_the_same_variant():
    for key in ("visitor-1", "visitor-2", "visitor-3", "c:99"):
        assert len({choose(SPLIT, key) for _ in range(20)}) == 1


def test_the_pick_is_independent_between_split_nodes():
    keys = [f"visitor-{i}" for i in range(200)]
    assert [choose(SPLIT, k, "split_a") for k in keys] != [choose(SPLIT, k, "split_b") for k in keys]


@pytest.mark.parametrize("weights", [(70, 30), (50, 50), (10, 20, 70)])
def test_over_ten_thousand_contacts_the_shares_match_the_weights(weights):
    config = {"experiment": "x", "variants": [{"id": f"v{i}", "weight": w} for i, w in enumerate(weights)]}
    counts = Counter(choose(config, f"contact-{n}") for n in range(10_000))
    for i, weight in enumerate(weights):
        assert abs(counts[f"v{i}"] / 100 - weight) <= 2, counts


def test_a_variant_with_no_weight_is_never_picked():
    config = {"experiment": "x", "variants": [{"id": "off", "weight": 0}, {"id": "on", "weight": 1}]}
    assert {choose(config, f"contact-{n}") for n in range(500)} == {"on"}


def test_its_exits_are_the_variant_ids():
    assert ab_split.ports(ab_split.Config.model_validate(SPLIT)) == ["short", "long"]


def test_it_refuses_bad_variants():
    one = {"experiment": "x", "variants": [{"id": "a", "weight": 1}]}
    assert invalid(ab_split, one).startswith("variants:")
    six = {"experiment": "x", "variants": [{"id": f"v{i}", "weight": 1} for i in range(6)]}
    assert invalid(ab_split, six).startswith("variants:")
    same = {"experiment": "x", "variants": [{"id": "a", "weight": 1}, {"id": "a", "weight": 1}]}
    assert "Two variant ids are the same" in invalid(ab_split, same)
    zero = {"experiment": "x", "variants": [{"id": "a", "weight": 0}, {"id": "b", "weight": 0}]}
    assert "weight above 0" in invalid(ab_split, zero)
    heavy = {"experiment": "x", "variants": [{"id": "a", "weight": 101}, {"id": "b", "weight": 1}]}
    assert invalid(ab_split, heavy).startswith("variants.0.weight:")
    assert invalid(ab_split, {**SPLIT, "experiment": ""}).startswith("experiment:")
