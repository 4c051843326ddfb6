import pytest

from flows.nodes import condition
from tests.flows.nodes.helpers import context, invalid, run, shopper_data

DATA = shopper_data(
    contact={"name": "Ann", "email": "", "segment": "high_value", "attributes": {"vip": True, "size": "M"}},
    cart={"total": "129.90", "items": [{"title": "Rain Jacket"}]},
    vars={"height": 185, "colors": ["Red", "blue"], "code": "SALE-2025", "limit": "100", "blank": ""},
    page={"url": "https://shop.example/sale/jackets"},
)


def check(value: str, op: str, operand: str = "") -> str:
    return run(condition, {"rules": [{"value": value, "op": op, "operand": operand}]}, data=DATA).next


@pytest.mark.parametrize(
    ("value", "op", "operand", "port"),
    [
        ("contact.name", "equals", "ann", "true"),
        ("contact.name", "equals", "Bob", "false"),
        ("cart.total", "equals", "129.9", "true"),
        ("contact.attributes.vip", "equals", "yes", "true"),
        ("contact.attributes.vip", "equals", "false", "false"),
        ("contact.name", "not_equals", "Bob", "true"),
        ("page.url", "contains", "/SALE/", "true"),
        ("vars.colors", "contains", "red", "true"),
        ("vars.colors", "contains", "green", "false"),
        ("vars.height", "greater_than", "180", "true"),
        ("vars.height", "less_than", "180", "false"),
        ("cart.total", "greater_than", "{{ vars.limit }}", "true"),
        ("contact.name", "greater_than", "10", "false"),
        ("vars.height", "less_than", "tall", "false"),
        ("contact.attributes.size", "is_set", "", "true"),
        ("vars.blank", "is_set", "", "false"),
        ("vars.nothing", "is_not_set", "", "true"),
        ("vars.code", "matches", r"^SALE-\d{4}$", "true"),
        ("vars.code", "matches", r"^\d+$", "false"),
        ("vars.nothing", "matches", ".*", "true"),
    ],
)
def test_each_comparison_leaves_by_true_or_false(value, op, operand, port):
    assert check(value, op, operand) == port


def test_in_segment_reads_the_contacts_segment():
    assert check("", "in_segment", "high_value") == "true"
    assert check("", "in_segment", "high value") == "true"
    assert check("", "in_segment", "new") == "false"


def test_all_needs_every_rule_and_any_needs_one():
    rules = [{"value": "contact.name", "op": "equals", "operand": "Ann"},
             {"value": "vars.height", "op": "less_than", "operand": "150"}]  # fmt: skip
    assert run(condition, {"rules": rules, "match": "all"}, data=DATA).next == "false"
    assert run(condition, {"rules": rules, "match": "any"}, data=DATA).next == "true"


def test_a_missing_value_is_just_false_never_an_error():
    assert check("customer.orders_count", "greater_than", "3") == "false"
    assert check("customer.first_name", "contains", "a") == "false"


def test_a_path_into_internals_finds_nothing_even_when_validation_was_skipped():
    rule = condition.Rule.model_construct(value="vars.height.__class__", op="is_set", operand="")
    result = condition.run(condition.Config.model_construct(rules=[rule], match="all"), context(data=DATA))
    assert result.next == "false"


def test_a_pattern_from_a_template_that_does_not_compile_matches_nothing():
    data = shopper_data(vars={"pattern": "(", "code": "x"})
    rule = {"value": "vars.code", "op": "matches", "operand": "{{ vars.pattern }}"}
    assert run(condition, {"rules": [rule]}, data=data).next == "false"


def test_only_the_first_thousand_characters_are_matched():
    data = shopper_data(vars={"text": "a" * 1000 + "needle"})
    rule = {"value": "vars.text", "op": "matches", "operand": "needle"}
    assert run(condition, {"rules": [rule]}, data=data).next == "false"


def test_its_exits_are_true_and_false():
    config = condition.Config.model_validate({"rules": [{"value": "vars.x", "op": "is_set"}]})
    assert condition.ports(config) == ["true", "false"]


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"value": "vars.code", "op": "matches", "operand": "(unclosed"}, "not a valid regular expression"),
        ({"value": "vars.code", "op": "matches", "operand": "a" * 201}, "longer than 200"),
        ({"value": "", "op": "in_segment", "operand": "vip"}, "The segment is one of"),
        ({"value": "contact.__class__", "op": "is_set"}, "Choose a value to check"),
        ({"value": "", "op": "equals", "operand": "x"}, "Choose a value to check"),
        ({"value": "vars.height", "op": "greater_than"}, "Say what to compare with"),
        ({"value": "vars.height", "op": "bigger", "operand": "1"}, "Input should be"),
    ],
)
def test_it_refuses_rules_that_cannot_work(rule, words):
    error = invalid(condition, {"rules": [rule]})
    assert error.startswith("rules.0")
    assert words in error


def test_it_needs_at_least_one_rule():
    assert invalid(condition, {"rules": []}).startswith("rules:")
    assert invalid(condition, {"rules": [{"value": "vars.x", "op": "is_set"}], "match": "most"}).startswith("match:")


def test_a_pattern_that_backtracks_forever_gives_up_quickly_and_does_not_match():
    import time

    config = condition.Config(rules=[{"value": "vars.text", "op": "matches", "operand": "(a+)+$"}])
    started = time.monotonic()
    result = condition.run(config, context(data={"vars": {"text": "a" * 40 + "!"}}))
    assert result.next == "false" and time.monotonic() - started < 1
