"""The builder's trigger settings and funnel overlay in a real Chromium against a real ASGI server: add a trigger
(refused on its field, then saved through the triggers API), a starter flow's suggested triggers, and the
funnel of a small branching flow drawn on its steps from seeded events."""

# ruff: noqa: F811 (the browser and server fixtures are imported and named as parameters)
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from flows import services
from flows.models import Flow, Trigger
from flows.starters import install_starters
from tests.analytics.world import Log
from tests.conftest import logged_in
from tests.e2e.test_flow_builder import card, open_builder, server, signed_in  # noqa: F401 (fixture)
from tests.e2e.test_widget_storefront import browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def at(node_id, node_type, x, y, **config):
    return {"id": node_id, "type": node_type, "config": config, "position": {"x": x, "y": y}}


def published(store, name, graph):
    flow = services.create_flow(store, name=name, graph=graph)
    services.publish_flow(flow)
    flow.refresh_from_db()
    return flow


def test_add_a_trigger_see_a_bad_value_refused_on_its_field_then_saved(server, browser, alice, alice_store):
    flow = published(alice_store, "Browsing help", {
        "start": "hi", "nodes": [at("hi", "send_message", 0, 0, text="Still looking? I can help.")], "edges": [],
    })
    page = signed_in(browser, server, alice)
    open_builder(page, server, flow)
    section = page.locator("#flow-triggers")
    expect(section).to_contain_text("Starts only when another flow jumps to it.")

    section.get_by_role("button", name="Edit triggers").click()
    panel = page.locator(".triggers-panel")
    expect(page.get_by_test_id("codes-off")).to_have_count(0)  # this flow makes no discount code
    panel.get_by_role("button", name="+ Add trigger").click()
    page.locator("#t0-kind").select_option(label="Time on page")  # its settings' form comes from the kind's schema
    seconds = page.locator("#f-t0-config-seconds")
    expect(panel.locator('[data-field="t0.config.seconds"]')).to_contain_text("Seconds on the page, 5 to 3600.")
    seconds.fill("2")
    page.locator("#t0-priority").fill("15")
    page.locator("#t0-cap_per_day").fill("2")
    page.locator("#t0-display").select_option("open")
    panel.get_by_role("button", name="Save triggers").click()

    # The server refuses it; the problem is shown on the field, and nothing is stored.
    field = panel.locator('[data-field="t0.config.seconds"]')
    expect(field).to_have_class(re.compile(r"\binvalid\b"))
    expect(field.locator(".field-errors")).to_have_text("Input should be greater than or equal to 5")
    expect(page.get_by_test_id("triggers-state")).to_have_text("Not saved: see the problems above.")
    assert not Trigger.objects.filter(flow=flow).exists()

    seconds.fill("30")
    panel.get_by_role("button", name="Save triggers").click()
    expect(page.get_by_test_id("triggers-state")).to_have_text("Triggers saved")
    expect(field).not_to_have_class(re.compile(r"\binvalid\b"))
    expect(section).to_contain_text("Time on page: Seconds 30")
    answer = logged_in(alice).get(f"/api/v1/s/{alice_store.slug}/flows/{flow.pk}/triggers/").json()
    assert [(t["kind"], t["config"], t["priority"], t["cap_per_day"], t["cap_per_shopper"], t["display"], t["enabled"])
            for t in answer["triggers"]] == [("time_on_page", {"seconds": 30}, 15, 2, None, "open", True)]

    # After a reload the builder shows what was saved; switching it off is saved too.
    open_builder(page, server, flow)
    expect(section).to_contain_text("Time on page: Seconds 30")
    page.get_by_role("button", name="Triggers", exact=True).click()
    expect(page.locator("#f-t0-config-seconds")).to_have_value("30")
    panel.get_by_label("Enabled").uncheck()
    expect(page.get_by_test_id("triggers-state")).to_have_text("Unsaved changes")
    panel.get_by_role("button", name="Save triggers").click()
    expect(section).to_contain_text("Time on page: Seconds 30 (off)")
    assert list(Trigger.objects.filter(flow=flow).values_list("enabled", flat=True)) == [False]


def test_a_starter_flow_shows_its_suggested_triggers(server, browser, alice, alice_store):
    install_starters(alice_store)
    cart = Flow.objects.get(store=alice_store, name="Abandoned cart recovery")
    page = signed_in(browser, server, alice)
    open_builder(page, server, cart)
    section = page.locator("#flow-triggers")
    # Off: the flow promises a discount code, and a new store does not let flows create codes.
    expect(section).to_contain_text("Cart abandoned: Idle Minutes 30 (off)")
    section.get_by_role("button", name="Edit triggers").click()
    expect(page.locator("#t0-kind")).to_have_value("cart_abandoned")
    expect(page.locator("#f-t0-config-idle_minutes")).to_have_value("30")
    expect(page.locator("#t0-priority")).to_have_value("10")
    expect(page.locator(".triggers-panel").get_by_label("Enabled")).not_to_be_checked()
    notice = page.get_by_test_id("codes-off")  # and says why, with the way to change it
    expect(notice).to_contain_text("the store does not let flows create codes")
    expect(notice.get_by_role("link")).to_have_attribute("href", f"/s/{alice_store.slug}/settings/")


BRANCHING = {
    "start": "welcome",
    "nodes": [
        at("welcome", "send_message", 0, 0, text="Hi!"),
        at("menu", "buttons", 0, 220, text="Shall I help you find something?",
           buttons=[{"id": "yes", "title": "Yes"}, {"id": "no", "title": "No"}]),
        at("thanks", "end", -200, 460, message="Here you go."),
        at("bye", "end", 200, 460, message="Happy browsing!"),
    ],
    "edges": [
        {"from": "welcome", "port": "default", "to": "menu"},
        {"from": "menu", "port": "yes", "to": "thanks"},
        {"from": "menu", "port": "no", "to": "bye"},
    ],
}  # fmt: skip


def test_the_funnel_overlay_shows_entered_and_dropped_on_each_step(server, browser, alice, alice_store):
    flow = published(alice_store, "Helper", BRANCHING)
    log, now = Log(alice_store), timezone.now()
    recent = {
        1: ["welcome", "menu", "thanks"], 2: ["welcome", "menu", "bye"],  # finished
        3: ["welcome", "menu"], 4: ["welcome", "menu"],  # dropped off at the menu
        5: ["welcome"],  # dropped off before the menu
    }
    for conversation, path in recent.items():
        log.chat(conversation, conversation, now - timedelta(days=2, minutes=conversation), flow=flow.pk, path=path)
    log.chat(6, 6, now - timedelta(days=20), flow=flow.pk, path=["welcome", "menu", "thanks"])  # only in 30 days
    log.chat(7, 7, now - timedelta(days=2), flow=flow.pk + 1000, path=["welcome"])  # another flow

    page = signed_in(browser, server, alice)
    open_builder(page, server, flow)
    expect(page.get_by_test_id("funnel-counts")).to_have_count(0)
    page.get_by_role("button", name="Show funnel").click()

    totals = page.get_by_test_id("funnel-totals")
    expect(totals).to_have_text("6 conversations · 3 finished · 3 dropped off")  # the last 30 days first
    counts = {node_id: card(page, node_id).get_by_test_id("funnel-counts") for node_id in ("welcome", "menu", "thanks", "bye")}
    expect(counts["welcome"]).to_contain_text("6 entered")
    expect(counts["welcome"]).to_contain_text("1 dropped off (17%)")
    expect(counts["menu"]).to_contain_text("5 entered")
    expect(counts["menu"]).to_contain_text("2 dropped off (40%)")
    expect(counts["thanks"]).to_contain_text("2 entered")
    expect(counts["thanks"]).to_contain_text("2 finished")
    expect(counts["bye"]).to_contain_text("1 finished")

    page.get_by_label("Funnel period").select_option("7")
    expect(totals).to_have_text("5 conversations · 2 finished · 3 dropped off")
    expect(counts["menu"]).to_contain_text("4 entered")
    expect(counts["menu"]).to_contain_text("2 dropped off (50%)")
    expect(counts["thanks"]).to_contain_text("1 entered")

    table = page.get_by_role("link", name="Full table →")
    href = table.get_attribute("href")
    assert re.fullmatch(rf"/s/{alice_store.slug}/analytics/flows/{flow.pk}/\?from=\d{{4}}-\d\d-\d\d&to=\d{{4}}-\d\d-\d\d", href)
    page.get_by_role("button", name="Hide funnel").click()
    expect(page.get_by_test_id("funnel-counts")).to_have_count(0)

    page.goto(server + href)
    menu_row = page.locator("tr", has=page.locator("code", has_text="menu"))
    expect(menu_row.locator("td").nth(2)).to_have_text("4")  # entered, in the last 7 days
