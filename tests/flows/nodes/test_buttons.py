import pytest

from flows.nodes import buttons
from flows.nodes.base import AnalyticsEvent, Button
from tests.flows.nodes.helpers import invalid, message, postback, run

MENU = {
    "text": "Hi {{ contact.name }}, what can I do for you?",
    "buttons": [{"id": "track", "title": "Track my order"}, {"id": "sizes", "title": "Size advice"}],
}


def test_it_asks_with_a_button_for_each_choice_and_waits():
    result = run(buttons, MENU, node_id="menu")
    assert result.replies[0].text == "Hi Ann, what can I do for you?"
    assert result.replies[0].buttons == (Button("Track my order", "menu/track"), Button("Size advice", "menu/sizes"))
    assert result.wait_for_input
    assert result.next is None


def test_a_click_leaves_by_that_buttons_exit_and_is_counted():
    result = run(buttons, MENU, node_id="menu", incoming=postback("menu/sizes"))
    assert result.next == "sizes"
    assert not result.wait_for_input
    assert result.events == [AnalyticsEvent("button_clicked", {"button": "sizes", "title": "Size advice"})]


@pytest.mark.parametrize("typed", ["size advice", "  SIZE   ADVICE ", "2"])
def test_typing_a_buttons_title_or_number_counts_as_a_click(typed):
    assert run(buttons, MENU, node_id="menu", incoming=message(typed)).next == "sizes"


@pytest.mark.parametrize("incoming", [message("where is my parcel?"), message("3"), message("0"), postback("other/track"),
                                      postback("menu/unknown")])  # fmt: skip
def test_anything_else_is_left_to_the_fallback_while_the_buttons_stay(incoming):
    result = run(buttons, MENU, node_id="menu", incoming=incoming)
    assert result.unhandled
    assert result.wait_for_input
    assert result.next is None
    assert result.replies == []


def test_its_exits_are_the_button_ids_and_it_waits_for_the_shopper():
    config = buttons.Config.model_validate(MENU)
    assert buttons.ports(config) == ["track", "sizes"]
    assert buttons.waits_for_shopper(config)


def test_it_needs_one_to_ten_buttons():
    assert invalid(buttons, {"text": "Pick", "buttons": []}).startswith("buttons:")
    many = [{"id": f"b{i}", "title": f"Button {i}"} for i in range(11)]
    assert invalid(buttons, {"text": "Pick", "buttons": many}).startswith("buttons:")


def test_it_refuses_duplicate_ids_and_titles():
    same_id = [{"id": "a", "title": "One"}, {"id": "a", "title": "Two"}]
    assert "Two button ids are the same" in invalid(buttons, {"text": "Pick", "buttons": same_id})
    same_title = [{"id": "a", "title": "Yes"}, {"id": "b", "title": " yes"}]
    assert "Two button texts are the same" in invalid(buttons, {"text": "Pick", "buttons": same_title})


def test_it_refuses_ids_that_are_not_slugs_and_overlong_titles():
    assert invalid(buttons, {"text": "Pick", "buttons": [{"id": "Track Order", "title": "Track"}]}).startswith(
        "buttons.0.id:"
    )
    assert invalid(buttons, {"text": "Pick", "buttons": [{"id": "a/b", "title": "Track"}]}).startswith("buttons.0.id:")
    assert invalid(buttons, {"text": "Pick", "buttons": [{"id": "a", "title": "x" * 41}]}).startswith("buttons.0.title:")


def test_it_needs_a_question():
    assert invalid(buttons, {"buttons": MENU["buttons"]}).startswith("text:")
