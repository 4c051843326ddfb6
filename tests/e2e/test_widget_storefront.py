"""The widget in a real Chromium on the demo storefront, served by a real ASGI server process."""

import pytest
from django.db.models import Max
from playwright.sync_api import expect, sync_playwright

from conversations.models import Message, Sender
from flows.demo import seed_demo_flows
from integrations.demo import seed_demo_mirror
from integrations.models import Product
from tests.processes import free_port, start_server, stop

pytestmark = pytest.mark.django_db(transaction=True)

XSS = '<img src=x onerror="window.__xss=1">Linen <b>Shirt</b>'
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def demo_shop(alice_store):
    """Alice's store as a demo store: the demo catalogue, the demo flow, and a product whose title is a script."""
    alice_store.is_demo = True
    alice_store.save(update_fields=["is_demo"])
    seed_demo_mirror(alice_store)
    seed_demo_flows(alice_store)
    newest = Product.objects.filter(store=alice_store).aggregate(Max("id"))["id__max"]
    Product.objects.filter(pk=newest).update(title=XSS)
    return alice_store


@pytest.fixture
def server(demo_shop):
    port = free_port()
    process = start_server(port, eager=True)
    yield f"http://127.0.0.1:{port}"
    output = stop(process)
    assert "Traceback" not in output, output


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_a_shopper_chats_sees_products_adds_to_cart_reloads_and_survives_a_lost_connection(server, browser, demo_shop, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/demo/{demo_shop.slug}/")
    page.locator(".launcher").click()
    expect(page.locator(".msg.bot").filter(has_text="What can I do for you?")).to_be_visible(timeout=15000)

    page.get_by_role("button", name="Show me what's new").click()
    cards = page.locator(".card")
    expect(cards.first).to_be_visible(timeout=15000)
    expect(page.locator(".card h3").filter(has_text="<img")).to_have_text(XSS)  # the title, as text
    assert page.evaluate("window.__xss") is None

    page.locator(".card .actions button:not([disabled])").first.click()
    expect(page.locator(".card .actions button").filter(has_text="Added to cart")).to_have_count(1)
    expect(page.locator("#cart-count")).to_have_text("1")
    page.screenshot(path=tmp_path / "widget.png")
    assert (tmp_path / "widget.png").stat().st_size > 10_000

    page.reload()
    expect(page.locator(".msg.bot").filter(has_text="Fresh in this week:")).to_be_visible(timeout=15000)

    page.context.set_offline(True)
    page.locator("textarea").fill("do you have gift cards?")
    page.locator("textarea").press("Enter")
    expect(page.locator(".msg.shopper.pending").filter(has_text="gift cards")).to_be_visible()
    page.wait_for_timeout(1500)
    page.context.set_offline(False)
    expect(page.locator(".msg.shopper.pending")).to_have_count(0, timeout=40000)
    expect(page.locator(".msg.bot").last).to_contain_text("I'm still learning", timeout=15000)
    sent = Message.objects.filter(store=demo_shop, sender=Sender.SHOPPER, text="do you have gift cards?")
    assert sent.count() == 1


def test_a_page_that_styles_every_div_does_not_change_the_widget(server, browser, demo_shop):
    page = browser.new_page()
    page.goto(f"{server}/demo/{demo_shop.slug}/")
    page.add_style_tag(content="div, button, section { border: 9px solid red !important; font-size: 40px !important }")
    page.locator(".launcher").click()
    message = page.locator(".msg.bot").first
    expect(message).to_be_visible(timeout=15000)
    assert message.evaluate("el => getComputedStyle(el).fontSize") == "14px"


def test_the_storefront_is_only_for_demo_stores(client, bob_store):
    assert client.get(f"/demo/{bob_store.slug}/").status_code == 404
