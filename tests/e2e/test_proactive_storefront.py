"""Proactive triggers in a real Chromium on the demo storefront: exit intent opens the chat with its message,
time on page shows a teaser bubble that opens the chat when clicked."""

import pytest
from playwright.sync_api import expect

from analytics.models import Event
from tests.conversations.proactive_kit import flow_saying
from tests.e2e.test_widget_storefront import browser, demo_shop, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)



def test_proactive_triggers_open_the_chat_or_show_a_teaser(server, browser, demo_shop):  # noqa: F811
    flow_saying(demo_shop, "Leaving already? Here is 10% off: STAY10", {"kind": "exit_intent", "display": "open"})
    flow_saying(demo_shop, "Need help choosing a size?", {"kind": "time_on_page", "seconds": 5})

    leaving = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    leaving.goto(f"{server}/demo/{demo_shop.slug}/")
    expect(leaving.locator(".panel")).to_be_hidden()
    leaving.wait_for_function("() => !!document.getElementById('shopbot-widget')")
    leaving.wait_for_timeout(1500)  # connected and greeted (the greeting stays behind the unread badge)
    leaving.mouse.move(640, 400)
    leaving.mouse.move(640, 0)
    leaving.evaluate("document.dispatchEvent(new MouseEvent('mouseout', {clientX: 640, clientY: 0, bubbles: true}))")
    expect(leaving.locator(".panel")).to_be_visible(timeout=15000)  # the trigger's message opened the chat
    expect(leaving.locator(".msg.bot").filter(has_text="Here is 10% off: STAY10")).to_be_visible()

    browsing = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    browsing.goto(f"{server}/demo/{demo_shop.slug}/")
    teaser = browsing.locator(".teaser")
    expect(teaser).to_contain_text("Need help choosing a size?", timeout=20000)
    expect(browsing.locator(".panel")).to_be_hidden()
    teaser.locator(".tx").click()
    expect(browsing.locator(".panel")).to_be_visible()
    expect(teaser).to_be_hidden()
    expect(browsing.locator(".msg.bot").filter(has_text="Need help choosing a size?")).to_be_visible()

    fired = sorted(Event.objects.filter(store=demo_shop, name="trigger_fired").values_list("data__kind", flat=True))
    assert fired == ["exit_intent", "time_on_page"]
