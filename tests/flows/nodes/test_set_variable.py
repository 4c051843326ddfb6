import pytest

from flows.nodes import set_variable
from tests.flows.nodes.helpers import invalid, run, shopper_data


def test_it_saves_rendered_values_to_variables_and_the_contact():
    config = {
        "assignments": [
            {"target": "vars.greeting", "value": "Hello {{ contact.name }}"},
            {"target": "contact.name", "value": "{{ vars.typed_name | title }}"},
            {"target": "contact.attributes.shoe_size", "value": "42"},
            {"target": "contact.phone", "value": "+15551234567"},
        ]
    }
    result = run(set_variable, config, data=shopper_data(vars={"typed_name": "ann lee"}))
    assert result.set_vars == {"greeting": "Hello Ann"}
    assert result.set_contact == {"name": "Ann Lee", "attributes.shoe_size": "42", "phone": "+15551234567"}
    assert result.next == "default"


def test_it_adds_and_removes_tags():
    result = run(set_variable, {"add_tags": [" vip ", "newsletter"], "remove_tags": ["lead"]})
    assert result.add_tags == ["vip", "newsletter"]
    assert result.remove_tags == ["lead"]


def test_it_needs_something_to_do():
    assert "Set a value or add or remove a tag" in invalid(set_variable, {})


@pytest.mark.parametrize(
    "target", ["size", "vars.", "vars.1st", "vars.a.b", "contact.address", "contact.attributes.", "store.name",
               "contact.attributes.__class__", "vars._secret"],
)  # fmt: skip
def test_it_refuses_places_it_cannot_save_to(target):
    error = invalid(set_variable, {"assignments": [{"target": target, "value": "x"}]})
    assert error.startswith("assignments.0.target:")
    assert "is not a place to save to" in error


def test_it_refuses_tags_with_commas_or_no_text():
    assert "without commas" in invalid(set_variable, {"add_tags": ["a,b"]})
    assert "1 to 50 characters" in invalid(set_variable, {"remove_tags": ["  "]})


def test_check_target_accepts_every_documented_target():
    for target in ("vars.size", "contact.name", "contact.email", "contact.phone", "contact.attributes.vip"):
        assert set_variable.check_target(target) == target
