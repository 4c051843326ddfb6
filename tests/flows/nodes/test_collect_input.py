import pytest

from flows.nodes import collect_input
from flows.nodes.base import Button
from tests.flows.nodes.helpers import invalid, message, postback, run, texts

EMAIL = {"prompt": "What's your email, {{ contact.name }}?", "kind": "email", "save_to": "contact.email"}


def test_it_asks_the_question_and_waits():
    result = run(collect_input, EMAIL)
    assert texts(result) == ["What's your email, Ann?"]
    assert result.wait_for_input
    assert result.node_state == {"tries": 0}


def test_it_saves_a_valid_email_lowercased_and_moves_on():
    result = run(collect_input, EMAIL, incoming=message("  Ann.Lee+shop@Example.COM "))
    assert result.set_contact == {"email": "ann.lee+shop@example.com"}
    assert result.next == "default"
    assert result.replies == []
    assert not result.wait_for_input


@pytest.mark.parametrize("text", ["ann", "ann@", "ann@example", "a b@example.com", "ann@@example.com", "a..b@x.com"])
def test_it_re_asks_with_a_hint_when_the_email_is_invalid(text):
    result = run(collect_input, EMAIL, incoming=message(text))
    assert "doesn't look like an email address" in texts(result)[0]
    assert result.wait_for_input
    assert result.node_state == {"tries": 1}
    assert result.set_contact == {}


def test_it_uses_the_owners_retry_text():
    config = {**EMAIL, "retry_text": "Hmm {{ contact.name }}, that email looks off."}
    assert texts(run(collect_input, config, incoming=message("nope"))) == ["Hmm Ann, that email looks off."]


def test_it_gives_up_after_the_last_try_and_leaves_by_failed():
    second = run(collect_input, EMAIL, incoming=message("nope"), node_state={"tries": 1})
    assert second.node_state == {"tries": 2}
    assert second.wait_for_input
    third = run(collect_input, EMAIL, incoming=message("nope"), node_state={"tries": 2})
    assert third.next == "failed"
    assert not third.wait_for_input
    assert third.replies == []


def test_one_try_means_no_second_chance():
    assert run(collect_input, {**EMAIL, "max_tries": 1}, incoming=message("nope")).next == "failed"


@pytest.mark.parametrize(
    ("text", "saved"),
    [("+1 (555) 123-4567", "+15551234567"), ("020 7946 0958", "02079460958"), ("555.1234", "5551234")],
)
def test_it_saves_a_phone_number_as_digits(text, saved):
    config = {"prompt": "Phone?", "kind": "phone", "save_to": "contact.phone"}
    assert run(collect_input, config, incoming=message(text)).set_contact == {"phone": saved}


@pytest.mark.parametrize("text", ["123456", "1234567890123456", "call me", "+1 555 CALL NOW"])
def test_it_re_asks_for_a_phone_number_that_is_too_short_too_long_or_not_digits(text):
    config = {"prompt": "Phone?", "kind": "phone", "save_to": "contact.phone"}
    result = run(collect_input, config, incoming=message(text))
    assert "phone number" in texts(result)[0]
    assert result.wait_for_input


@pytest.mark.parametrize(("text", "saved"), [("12", 12), ("12.5", 12.5), ("12,5", 12.5), (" -3 ", -3), ("7.0", 7)])
def test_it_saves_numbers_as_int_when_whole_else_float(text, saved):
    config = {"prompt": "How many?", "kind": "number", "save_to": "vars.qty"}
    value = run(collect_input, config, incoming=message(text)).set_vars["qty"]
    assert value == saved
    assert type(value) is type(saved)


@pytest.mark.parametrize("text", ["99", "231", "tall", "1e3", "12.5.1"])
def test_it_re_asks_for_a_number_in_range_with_a_hint_saying_the_range(text):
    config = {"prompt": "Height in cm?", "kind": "number", "min": 100, "max": 230, "save_to": "vars.height"}
    result = run(collect_input, config, incoming=message(text))
    assert texts(result) == ["Could you type a number from 100 to 230?"]
    assert result.set_vars == {}


def test_the_number_hint_names_only_the_limit_that_is_set():
    low = {"prompt": "Qty?", "kind": "number", "min": 1, "save_to": "vars.qty"}
    assert texts(run(collect_input, low, incoming=message("0"))) == ["Could you type a number of at least 1?"]
    high = {"prompt": "Qty?", "kind": "number", "max": 2.5, "save_to": "vars.qty"}
    assert texts(run(collect_input, high, incoming=message("3"))) == ["Could you type a number up to 2.5?"]


def test_it_saves_free_text_within_the_length_limit():
    config = {"prompt": "Any comments?", "kind": "text", "save_to": "contact.attributes.note", "max_length": 10}
    assert run(collect_input, config, incoming=message(" Love it ")).set_contact == {"attributes.note": "Love it"}
    too_long = run(collect_input, config, incoming=message("x" * 11))
    assert texts(too_long) == ["Could you type your answer in at most 10 characters?"]
    assert run(collect_input, config, incoming=message("   ")).wait_for_input


CHOICE = {"prompt": "Which size?", "kind": "choice", "choices": ["Small", "Medium", "Large"], "save_to": "vars.size"}


def test_it_shows_choices_as_buttons():
    result = run(collect_input, CHOICE, node_id="size")
    assert result.replies[0].buttons == (Button("Small", "size/1"), Button("Medium", "size/2"), Button("Large", "size/3"))


@pytest.mark.parametrize("incoming", [postback("size/2"), message("medium"), message("2")])
def test_it_takes_a_choice_by_button_title_or_number(incoming):
    result = run(collect_input, CHOICE, node_id="size", incoming=incoming)
    assert result.set_vars == {"size": "Medium"}
    assert result.next == "default"


def test_it_re_asks_with_the_buttons_again_when_the_choice_is_unknown():
    result = run(collect_input, CHOICE, node_id="size", incoming=message("XXL"))
    assert texts(result) == ["Please pick one of the options."]
    assert [button.title for button in result.replies[0].buttons] == ["Small", "Medium", "Large"]


def test_its_exits_are_default_and_failed_and_it_waits():
    config = collect_input.Config.model_validate(EMAIL)
    assert collect_input.ports(config) == ["default", "failed"]
    assert collect_input.waits_for_shopper(config)


def test_it_refuses_a_choice_without_two_distinct_options():
    assert "at least 2 options" in invalid(collect_input, {**CHOICE, "choices": ["Only"]})
    assert "Two choices are the same" in invalid(collect_input, {**CHOICE, "choices": ["S", "s"]})


def test_it_refuses_a_bad_save_target_a_reversed_range_and_odd_tries():
    assert invalid(collect_input, {**EMAIL, "save_to": "email"}).startswith("save_to:")
    assert "smallest number is larger" in invalid(collect_input, {**EMAIL, "kind": "number", "min": 5, "max": 1})
    assert invalid(collect_input, {**EMAIL, "max_tries": 0}).startswith("max_tries:")
    assert invalid(collect_input, {**EMAIL, "max_tries": 11}).startswith("max_tries:")
    assert invalid(collect_input, {**EMAIL, "kind": "date"}).startswith("kind:")
