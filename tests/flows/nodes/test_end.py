import pytest

from flows.nodes import end
from flows.nodes.base import Button, RecordRating
from tests.flows.nodes.helpers import invalid, message, postback, run, texts

RATE = {"message": "Bye {{ contact.name }}!", "ask_rating": True}


def test_it_says_goodbye_and_ends_the_flow():
    result = run(end, {"message": "Bye {{ contact.name }}!"})
    assert texts(result) == ["Bye Ann!"]
    assert result.next is None
    assert not result.wait_for_input


def test_it_can_end_silently():
    result = run(end, {})
    assert result.replies == []
    assert result.next is None


def test_it_asks_for_a_rating_with_five_star_buttons_and_waits():
    result = run(end, RATE, node_id="bye")
    assert texts(result) == ["Bye Ann!", "How would you rate this chat?"]
    assert result.replies[1].buttons == tuple(Button("★" * n, f"bye/{n}") for n in range(1, 6))
    assert result.wait_for_input
    assert result.next is None


@pytest.mark.parametrize(("incoming", "rating"), [(postback("bye/4"), 4), (message(" 5 "), 5), (message("1"), 1)])
def test_a_rating_is_recorded_and_thanked_for(incoming, rating):
    result = run(end, RATE, node_id="bye", incoming=incoming)
    assert result.effect == RecordRating(rating=rating)
    assert texts(result) == ["Thank you for your feedback!"]
    assert result.next is None
    assert not result.unhandled


@pytest.mark.parametrize("incoming", [message("6"), message("0"), message("where is my order?"), postback("bye/9"),
                                      postback("menu/4")])  # fmt: skip
def test_anything_else_ends_the_flow_and_is_left_to_the_fallback(incoming):
    result = run(end, RATE, node_id="bye", incoming=incoming)
    assert result.unhandled
    assert result.effect is None
    assert result.next is None
    assert not result.wait_for_input


def test_it_waits_for_the_shopper_only_when_asking_for_a_rating_and_has_no_exits():
    assert end.waits_for_shopper(end.Config(ask_rating=True))
    assert not end.waits_for_shopper(end.Config())
    assert end.ports(end.Config()) == []


def test_it_refuses_unknown_settings():
    assert invalid(end, {"rating": True}).startswith("rating:")
