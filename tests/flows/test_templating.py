"""Sandboxed templating: personalization, defaults, filters; no way into Python objects; never an error."""

from decimal import Decimal

import pytest

from flows.nodes.base import MAX_TEXT
from flows.templating import lookup, render, template_errors

DATA = {
    "contact": {"name": "ann lee", "email": "ann@example.com", "segment": "loyal", "attributes": {"vip": True}},
    "orders": [{"name": "#1001", "total": "129.5"}, {"name": "#1002", "total": 20}],
    "cart": {"total": Decimal("59.9"), "items": []},
    "vars": {"size": "M", "colors": ["red", "blue"], "count": 3, "ratio": 2.5, "empty": ""},
    "page": {"url": "https://shop.example/p?q=1"},
}


def test_it_personalizes_text_with_values_from_the_context():
    assert render("Hi {{ contact.name }}, size {{vars.size}}!", DATA) == "Hi ann lee, size M!"


def test_it_reads_list_items_by_index():
    assert render("Your last order: {{ orders.0.name }} / {{ orders.1.total }}", DATA) == "Your last order: #1001 / 20"


def test_it_renders_unknown_variables_as_empty_text():
    assert render("Hi {{ customer.first_name }}!", DATA) == "Hi !"
    assert render("{{ orders.5.name }}{{ vars.size.deeper }}{{ contact.name.0 }}", DATA) == ""


def test_it_uses_the_default_when_a_value_is_missing_or_empty():
    assert render('Hi {{ customer.first_name | default:"there" }}!', DATA) == "Hi there!"
    assert render("{{ vars.empty | default:'none' }}", DATA) == "none"
    assert render('{{ contact.name | default:"there" }}', DATA) == "ann lee"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ contact.name | upper }}", "ANN LEE"),
        ("{{ vars.size | lower }}", "m"),
        ("{{ contact.name | title }}", "Ann Lee"),
        ("{{ contact.name | capitalize }}", "Ann lee"),
        ("{{ contact.email | truncate:5 }}", "ann@…"),
        ("{{ contact.name | truncate:50 }}", "ann lee"),
        ("{{ orders.0.total | money }}", "129.50"),
        ("{{ cart.total | money }}", "59.90"),
        ("{{ vars.count | money }}", "3.00"),
        ("{{ contact.name | money }}", ""),
        ("{{ vars.colors | first }}", "red"),
        ("{{ orders | first }}", ""),
        ('{{ vars.colors | join:" or " }}', "red or blue"),
        ("{{ vars.colors | join }}", "red, blue"),
        ("{{ vars.colors | count }}", "2"),
        ("{{ orders | length }}", "2"),
        ("{{ missing | count }}", "0"),
        ("{{ page.url | urlencode }}", "https%3A%2F%2Fshop.example%2Fp%3Fq%3D1"),
        ('{{ missing | default:"friend" | upper }}', "FRIEND"),
    ],
)
def test_filters_change_how_a_value_reads(template, expected):
    assert render(template, DATA) == expected


def test_values_render_as_plain_text():
    assert render("{{ vars.colors }}", DATA) == "red, blue"
    assert render("{{ contact.attributes.vip }}/{{ contact.attributes }}", DATA) == "yes/"
    assert render("{{ vars.ratio }} {{ vars.count }} {{ cart.total }}", DATA) == "2.5 3 59.9"


@pytest.mark.parametrize(
    "template",
    [
        "{{ contact.__class__ }}",
        "{{ contact.name.__len__ }}",
        "{{ contact.__class__.__mro__ }}",
        "{{ ''.join }}",
        "{{ 7*7 }}",
        "{{ contact.name() }}",
        "{{ contact['name'] }}",
        "{{ contact.name | attr:'__class__' }}",
        "{{ lookup.__globals__ }}",
    ],
)
def test_attempts_to_reach_internals_render_as_empty_text(template):
    assert render(template, DATA) == ""
    assert template_errors(template)


def test_block_tags_are_not_run_but_left_as_text():
    assert render("{% import os %}{{ contact.name }}", DATA) == "{% import os %}ann lee"


def test_it_never_walks_into_python_objects_even_when_the_data_holds_them():
    class Secret:
        name = "hidden"

    assert render("{{ thing.name }}|{{ thing }}", {"thing": Secret()}) == "|"
    assert lookup({"thing": Secret()}, "thing.name") is None


def test_broken_tags_render_as_empty_text_and_literal_text_stays():
    assert render("a {{ contact.name | shout }} b {{ vars.size | truncate:x }} c", DATA) == "a  b  c"
    assert render("Price: {{ unclosed", DATA) == "Price: {{ unclosed"
    assert render("50% off }} {x}", DATA) == "50% off }} {x}"


def test_the_output_is_capped_at_the_longest_reply():
    data = {"vars": {"long": "x" * 3000}}
    assert len(render("{{ vars.long }}{{ vars.long }}", data)) == MAX_TEXT


def test_lookup_only_follows_dict_keys_and_list_indexes():
    assert lookup(DATA, "orders.1.name") == "#1002"
    assert lookup(DATA, "vars.colors.-1") is None
    assert lookup(DATA, "vars._private") is None
    assert lookup({"_x": 1}, "_x") is None
    assert lookup(DATA, "contact..name") is None
    assert lookup([{"id": 7}], "0.id") == 7


def test_template_errors_is_empty_for_a_good_template():
    assert template_errors('Hi {{ contact.name | default:"there" | title }}, {{ orders.0.total | money }}') == []
    assert template_errors("Plain text, 100% {fine}") == []


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("Hi {{ contact.name ", "never closed"),
        ("{{ contact name }}", "cannot read"),
        ("{{ contact.name | shout }}", "unknown filter 'shout'"),
        ("{{ contact.name | truncate }}", "needs an argument"),
        ("{{ contact.name | truncate:0 }}", "whole number"),
        ("{{ contact.name | truncate:'5' }}", "whole number"),
        ("{{ contact.name | upper:2 }}", "takes no argument"),
        ("{{ }}", "not a variable name"),
        ("{% if vip %}VIP{% endif %}", "not supported"),
    ],
)
def test_template_errors_says_what_is_wrong(template, words):
    errors = template_errors(template)
    assert len(errors) == 1
    assert words in errors[0]
