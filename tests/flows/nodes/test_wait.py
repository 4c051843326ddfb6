from datetime import timedelta

import pytest

from flows.nodes import wait
from flows.nodes.base import WaitUntil
from tests.flows.nodes.helpers import NOW, invalid, run


@pytest.mark.parametrize(
    ("amount", "unit", "delta"),
    [(30, "seconds", timedelta(seconds=30)), (5, "minutes", timedelta(minutes=5)), (2, "hours", timedelta(hours=2)),
     (30, "days", timedelta(days=30))],
)  # fmt: skip
def test_it_waits_until_the_due_time(amount, unit, delta):
    result = run(wait, {"amount": amount, "unit": unit})
    assert result.effect == WaitUntil(due=NOW + delta)
    assert result.next is None
    assert result.replies == []


def test_it_continues_when_woken():
    result = run(wait, {"amount": 1, "unit": "hours"}, effect_result={"woke": True})
    assert result.effect is None
    assert result.next == "default"


def test_it_refuses_waits_longer_than_thirty_days_or_shorter_than_one_unit():
    assert "at most 30 days" in invalid(wait, {"amount": 31, "unit": "days"})
    assert "at most 30 days" in invalid(wait, {"amount": 721, "unit": "hours"})
    assert invalid(wait, {"amount": 0, "unit": "minutes"}).startswith("amount:")
    assert invalid(wait, {"amount": 1, "unit": "weeks"}).startswith("unit:")


def test_it_is_in_the_logic_category():
    assert wait.CATEGORY == "logic"
