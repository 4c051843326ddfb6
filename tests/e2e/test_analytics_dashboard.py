"""The analytics dashboard in a real Chromium: charts drawn from the report, and an FAQ made from a group."""

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from analytics.periods import local_today
from flows.models import FaqEntry
from tests.analytics.test_overview import seed_week
from tests.analytics.world import Log, at
from tests.conftest import logged_in
from tests.e2e.test_widget_storefront import CHROMIUM_ARGS
from tests.processes import free_port, start_server, stop

pytestmark = pytest.mark.django_db(transaction=True)

XSS = '<img src=x onerror="window.__xss=1">Do you <b>ship</b> to Mars?'


@pytest.fixture
def dashboard(alice, alice_store):
    seed_week(Log(alice_store))
    for i in range(3):
        Log(alice_store).event("fallback", at(f"2026-03-02 12:0{i}"), 50 + i, 50 + i, text=XSS)
    port = free_port()
    process = start_server(port)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 1000})
        cookie = logged_in(alice).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": f"http://127.0.0.1:{port}"}])
        yield context.new_page(), f"http://127.0.0.1:{port}/s/{alice_store.slug}/analytics"
        chromium.close()
    output = stop(process)
    assert "Traceback" not in output, output


def test_the_owner_reads_the_overview_with_its_charts_and_answers_a_question(dashboard, alice_store, tmp_path):
    page, base = dashboard
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/?from=2026-03-01&to=2026-03-05")
    expect(page.locator('[data-stat="conversations"]')).to_have_text("4")
    expect(page.locator('[data-stat="shoppers"]')).to_have_text("6")  # three more wrote the fallbacks
    page.wait_for_function("[...document.querySelectorAll('canvas[data-chart]')].every(c => c.chart)")
    drawn = page.evaluate("""[...document.querySelectorAll('canvas[data-chart]')].map(c =>
        [c.dataset.chart, c.chart.data.datasets[0].data])""")
    assert dict(drawn)["daily"] == [0, 2, 1, 1, 0] and dict(drawn)["ratings"] == [0, 1, 0, 0, 1]
    page.screenshot(path=tmp_path / "overview.png", full_page=True)

    page.get_by_role("link", name="Unanswered").click()
    group = page.locator("section.unanswered").first
    expect(group.locator("h2")).to_contain_text(XSS)  # the shopper's words, as text
    assert page.evaluate("window.__xss") is None
    group.locator("summary").click()
    group.locator("textarea[name=answer]").fill("Not yet, but we ship to 40 countries on Earth.")
    group.get_by_role("button", name="Add FAQ entry").click()
    expect(page.get_by_text("FAQ entry added")).to_be_visible()
    entry = FaqEntry.objects.filter(store=alice_store).latest("id")
    assert XSS in entry.questions and entry.answer.startswith("Not yet")
    assert errors == []


def test_a_bad_period_is_explained_on_the_page(dashboard, alice_store):
    page, base = dashboard
    today = local_today(alice_store)
    page.goto(f"{base}/?from={today}&to=2020-01-01")
    expect(page.get_by_role("alert")).to_contain_text("after it ends")
