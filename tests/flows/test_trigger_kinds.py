"""Trigger kinds and specs: plain unit tests of what matches and what an owner (or a starter flow) may store."""

import pytest

from flows.triggers import TRIGGER_KINDS, kinds_for, matches, parse_spec
from flows.triggers.base import Signal, utm_of

CART = {"items": [{"product_id": "101", "variant_id": "1011", "quantity": 2, "price": "40.00"}], "total": "80.00"}
PAGE = {"url": "https://shop.example.com/products/linen-shirt?utm_source=Newsletter&utm_campaign=summer",
        "referrer": "https://www.instagram.com/alice", "title": "Linen Shirt"}  # fmt: skip


def page_signal(url=PAGE["url"], **page):
    return Signal("page_view", page={**PAGE, "url": url, "utm": utm_of(url), **page})


# kind, config, a signal that matches, a signal that does not
CASES = [
    ("widget_opened", {"audience": "any"}, Signal("widget_opened"), Signal("page_view")),
    ("widget_opened", {"audience": "first_visit"}, Signal("widget_opened", visit={"first_visit": True}),
     Signal("widget_opened", visit={"first_visit": False, "returning": True})),
    ("widget_opened", {"audience": "returning"}, Signal("widget_opened", visit={"returning": True}),
     Signal("widget_opened", visit={"first_visit": True})),
    ("widget_opened", {"audience": "logged_in"}, Signal("widget_opened", visit={"logged_in": True}),
     Signal("widget_opened", visit={"logged_in": False})),
    ("page_url", {"match": "contains", "value": "/products/"}, page_signal(), page_signal("https://shop.example.com/")),
    ("page_url", {"match": "exact", "value": "/products/linen-shirt"}, page_signal(),
     page_signal("https://shop.example.com/products/linen-shirt-2")),
    ("page_url", {"match": "exact", "value": "https://shop.example.com/sale"}, page_signal("https://shop.example.com/sale?x=1"),
     page_signal("https://shop.example.com/sale/old")),
    ("page_url", {"match": "regex", "value": r"/products/.*shirt"}, page_signal(),
     page_signal("https://shop.example.com/products/straw-hat")),
    ("time_on_page", {"seconds": 30}, Signal("time_on_page", {"seconds": 45}), Signal("time_on_page", {"seconds": 20})),
    ("scroll", {"percent": 50}, Signal("scroll", {"percent": 75}), Signal("scroll", {"percent": 25})),
    ("exit_intent", {}, Signal("exit_intent"), Signal("time_on_page", {"seconds": 999})),
    ("cart_value", {"min": "50"}, Signal("cart_updated", cart=CART), Signal("cart_updated", cart={**CART, "total": "20"})),
    ("cart_value", {"min": "10", "max": "60"}, Signal("cart_updated", cart={**CART, "total": "60"}),
     Signal("cart_updated", cart=CART)),
    ("cart_value", {"min": "0"}, Signal("page_view", cart=CART), Signal("cart_updated", cart={"items": [], "total": "5"})),
    ("checkout_page", {}, page_signal("https://shop.example.com/checkout/"), page_signal("https://shop.example.com/cart")),
    ("checkout_page", {"include_cart": True}, page_signal("https://shop.example.com/cart"),
     page_signal("https://shop.example.com/collections/all")),
    ("cart_abandoned", {"idle_minutes": 30}, Signal("cart_idle", {"idle_minutes": 31}, cart=CART),
     Signal("cart_idle", {"idle_minutes": 29}, cart=CART)),
    ("cart_abandoned", {"idle_minutes": 30}, Signal("cart_idle", {"idle_minutes": 30}, cart=CART),
     Signal("cart_idle", {"idle_minutes": 90}, cart={"items": []})),
    ("utm", {"source": "newsletter"}, page_signal(), page_signal("https://shop.example.com/?utm_source=ads")),
    ("utm", {"source": "newsletter", "campaign": "summer"}, page_signal(),
     page_signal("https://shop.example.com/?utm_source=newsletter&utm_campaign=winter")),
    ("referrer", {"contains": "instagram.com"}, page_signal(), page_signal(referrer="https://google.com/")),
    ("custom_event", {"event": "quiz_done"}, Signal("custom", {"event": "quiz_done"}), Signal("custom", {"event": "quiz"})),
    ("order_fulfilled", {}, Signal("order_fulfilled", {"order": {"name": "#1001"}}), Signal("back_in_stock")),
    ("back_in_stock", {}, Signal("back_in_stock", {"product": {"title": "Hat"}}), Signal("order_fulfilled")),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "config", "hit", "miss"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_kind_matches_its_signal_and_not_others(kind, config, hit, miss):
    spec = parse_spec({"kind": kind, **config})
    assert matches(spec.kind, spec.config, hit)
    assert not matches(spec.kind, spec.config, miss)


def test_every_kind_is_covered_and_listens_to_something():
    assert {case[0] for case in CASES} == set(TRIGGER_KINDS)
    assert all(kind.EVENTS for kind in TRIGGER_KINDS.values())
    assert set(kinds_for("page_view")) == {"page_url", "checkout_page", "utm", "referrer", "cart_value"}


def test_a_spec_takes_settings_beside_kind_or_under_config_with_defaults():
    flat = parse_spec({"kind": "cart_abandoned", "idle_minutes": 30, "priority": 10, "cap_per_day": 1})
    nested = parse_spec({"kind": "cart_abandoned", "config": {"idle_minutes": 30}, "priority": 10})
    assert flat == nested
    assert (flat.config, flat.priority, flat.cap_per_day, flat.cap_per_shopper, flat.display, flat.enabled) == (
        {"idle_minutes": 30}, 10, 1, None, "teaser", True)  # fmt: skip
    assert parse_spec({"kind": "widget_opened", "audience": "returning"}).config == {"audience": "returning"}
    assert parse_spec({"kind": "order_fulfilled"}).config == {}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "popup"}, "Unknown trigger kind 'popup'"),
        ("exit_intent", "A trigger is an object"),
        ({"kind": "time_on_page", "seconds": 1}, "time_on_page: seconds: Input should be greater than or equal to 5"),
        ({"kind": "time_on_page"}, "time_on_page: seconds: Field required"),
        ({"kind": "exit_intent", "cap_per_day": 0}, "cap_per_day (per shopper, per day) is a whole number from 1 to 10"),
        ({"kind": "exit_intent", "cap_per_day": 86400}, "from 1 to 10"),
        ({"kind": "exit_intent", "cap_per_shopper": "lots"}, "cap_per_shopper (in all) is a whole number"),
        ({"kind": "exit_intent", "priority": 1.5}, "priority is a whole number"),
        ({"kind": "exit_intent", "display": "modal"}, "display is 'teaser'"),
        ({"kind": "exit_intent", "enabled": "yes"}, "enabled is true or false"),
        ({"kind": "exit_intent", "delay": 3}, "exit_intent: delay: Extra inputs are not permitted"),
        ({"kind": "page_url", "match": "regex", "value": "(unclosed"}, "not a valid regular expression"),
        ({"kind": "page_url", "match": "regex", "value": "(a+)+$"}, "takes too long"),
        ({"kind": "page_url", "match": "glob", "value": "/x"}, "page_url: match: Input should be"),
        ({"kind": "page_url", "match": "contains", "value": ""}, "value: String should have at least 1 character"),
        ({"kind": "cart_value", "min": "90", "max": "10"}, "The minimum is more than the maximum"),
        ({"kind": "cart_value"}, "Give a minimum, a maximum, or both"),
        ({"kind": "cart_abandoned", "idle_minutes": 0}, "idle_minutes: Input should be greater than or equal to 1"),
        ({"kind": "utm"}, "Give at least one of source, medium or campaign"),
        ({"kind": "scroll", "percent": 150}, "percent: Input should be less than or equal to 100"),
        ({"kind": "widget_opened", "audience": "vip"}, "audience: Input should be"),
        ({"kind": "exit_intent", "config": {}, "seconds": 3}, "either in config or beside kind"),
    ],
)
def test_bad_specs_are_refused_with_a_clear_message(spec, message):
    with pytest.raises(ValueError) as refused:
        parse_spec(spec)
    assert message in str(refused.value)


def test_a_stored_config_that_no_longer_validates_matches_nothing():
    assert not matches("time_on_page", {"seconds": "soon"}, Signal("time_on_page", {"seconds": 99}))
    assert not matches("no_such_kind", {}, Signal("page_view"))


def test_a_slow_pattern_cannot_stall_matching():
    # Even a pattern that slipped past the save-time probe gives up on a long address instead of hanging.
    spec = {"match": "regex", "value": r"(x+x+)+y"}
    assert not matches("page_url", spec, page_signal("https://shop.example.com/" + "x" * 1900))
