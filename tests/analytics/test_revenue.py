"""Revenue attribution: orders within the window after a chat, at the window's edges, credited per flow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from analytics.experiments import experiments
from analytics.periods import Period, store_zone
from analytics.revenue import revenue_report
from conversations.models import Contact
from flows import services as flow_services
from integrations.models import Customer, Order
from tests.analytics.world import Log, at


@pytest.fixture
def shop(alice_store):
    carol = Customer.objects.create(store=alice_store, platform_id="201", first_name="Carol")
    flows = [flow_services.create_flow(alice_store, name=name) for name in ("Welcome", "Deals")]
    contacts = {
        "carol": Contact.objects.create(store=alice_store, customer=carol, platform_customer_id="201"),
        "dave": Contact.objects.create(store=alice_store, platform_customer_id="202"),  # his customer not synced yet
        "anon": Contact.objects.create(store=alice_store),
    }
    return carol, flows, contacts


def order(store, number, when, total, *, customer=None, platform_id="", currency="USD", cancelled=False):
    return Order.objects.create(
        store=store, platform_id=str(number), name=f"#{number}", total=Decimal(total), currency=currency,
        placed_at=when, customer=customer, customer_platform_id=platform_id,
        cancelled_at=when if cancelled else None,
    )


def window(store):
    return Period(date(2026, 3, 1), date(2026, 3, 7), store_zone(store))


def test_orders_count_from_the_chat_until_the_window_after_it_both_ends_included(alice_store, shop):
    carol, (welcome, deals), contacts = shop
    log = Log(alice_store)
    last = log.chat(1, contacts["carol"].pk, at("2026-03-02 10:00"), flow=welcome.pk, path=["welcome"])
    log.chat(2, contacts["dave"].pk, at("2026-03-03 10:00"), flow=deals.pk, path=["welcome"])
    log.chat(3, contacts["anon"].pk, at("2026-03-04 10:00"), flow=welcome.pk, path=["welcome"])
    order(alice_store, 1, at("2026-03-02 09:59:59"), "11.00", customer=carol)  # before the chat
    order(alice_store, 2, last + timedelta(days=7), "50.00", customer=carol)  # the last second of the window
    order(alice_store, 3, last + timedelta(days=7, seconds=1), "13.00", customer=carol)  # one second late
    order(alice_store, 4, last + timedelta(days=1), "14.00", customer=carol, cancelled=True)
    order(alice_store, 5, last + timedelta(days=1), "15.00", customer=carol, currency="EUR")
    order(alice_store, 6, at("2026-03-04 12:00"), "30.00", platform_id="202")  # by the platform id only

    report = revenue_report(alice_store, window(alice_store))

    assert (report["revenue"], report["orders"], report["converted"], report["conversations"]) == ("80.00", 2, 2, 3)
    assert report["conversion_rate"] == pytest.approx(2 / 3) and report["currency"] == "USD"
    flows = {f["name"]: (f["conversations"], f["converted"], f["revenue"], f["conversion_rate"]) for f in report["flows"]}
    assert flows == {"Welcome": (2, 1, "50.00", 0.5), "Deals": (1, 1, "30.00", 1.0)}
    assert report["other_currency_orders"] == [{"order": "#5", "total": "15.00", "currency": "EUR"}]


def test_the_window_is_the_stores_setting(alice_store, shop):
    carol, (welcome, _), contacts = shop
    last = Log(alice_store).chat(1, contacts["carol"].pk, at("2026-03-02 10:00"), flow=welcome.pk, path=["welcome"])
    order(alice_store, 1, last + timedelta(days=3), "20.00", customer=carol)
    alice_store.attribution_window_days = 2
    alice_store.save()
    assert revenue_report(alice_store, window(alice_store))["revenue"] == "0.00"
    alice_store.attribution_window_days = 3
    alice_store.save()
    assert revenue_report(alice_store, window(alice_store))["revenue"] == "20.00"


def test_an_order_goes_to_the_latest_chat_only(alice_store, shop):
    carol, (welcome, deals), contacts = shop
    log = Log(alice_store)
    log.chat(1, contacts["carol"].pk, at("2026-03-02 10:00"), flow=welcome.pk, path=["welcome"])
    log.chat(2, contacts["carol"].pk, at("2026-03-04 10:00"), flow=deals.pk, path=["welcome"])
    order(alice_store, 1, at("2026-03-05 10:00"), "40.00", customer=carol)
    report = revenue_report(alice_store, window(alice_store))
    assert report["revenue"] == "40.00" and report["orders"] == 1
    assert {f["name"]: f["revenue"] for f in report["flows"]} == {"Deals": "40.00", "Welcome": "0.00"}


def test_the_variant_a_chat_went_through_gets_its_orders(alice_store, shop):
    carol, (welcome, _), contacts = shop
    log = Log(alice_store)
    log.chat(1, contacts["carol"].pk, at("2026-03-02 10:00"))
    log.event("variant", at("2026-03-02 10:00:01"), 1, contacts["carol"].pk, flow=welcome.pk, node="split",
              experiment="Greeting", variant="b")
    order(alice_store, 1, at("2026-03-03 10:00"), "40.00", customer=carol)
    (split,) = experiments(alice_store, window(alice_store), goal="order")["experiments"]
    assert [(v["variant"], v["conversations"], v["conversions"]) for v in split["variants"]] == [("b", 1, 1)]


def test_a_store_without_chats_or_orders_has_zero_revenue(alice_store):
    report = revenue_report(alice_store, window(alice_store))
    assert (report["revenue"], report["conversion_rate"], report["flows"]) == ("0.00", None, [])
    assert report["notice"] == "No conversations started in this period."
