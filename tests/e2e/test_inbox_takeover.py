"""Two browsers: a shopper on the demo storefront asks for a person, an agent in the inbox takes it over, replies
(typing, a canned response, a product card) and hands back to the bot."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conversations.models import CannedResponse, Conversation
from integrations.models import Product
from tests.conftest import logged_in
from tests.e2e.test_widget_storefront import browser, demo_shop, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_takes_over_a_handoff_chats_with_typing_canned_replies_and_cards_and_hands_back(server, browser, demo_shop, alice_agent):  # noqa: F811
    CannedResponse.objects.create(
        store=demo_shop, shortcut="returns", text='Hi {{ contact.first_name | default:"there" }}, returns are free within 30 days.'
    )
    cookie = logged_in(alice_agent).cookies[settings.SESSION_COOKIE_NAME].value
    agent_context = browser.new_context()
    agent_context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server}])
    agent = agent_context.new_page()
    agent.goto(f"{server}/s/{demo_shop.slug}/inbox/?view=mine")
    expect(agent.get_by_text("Choose a conversation.")).to_be_visible()
    agent.wait_for_timeout(1000)  # the socket marks Agnes online

    shopper = browser.new_context().new_page()
    shopper.goto(f"{server}/demo/{demo_shop.slug}/")
    shopper.locator(".launcher").click()
    shopper.get_by_role("button", name="Talk to a person").click()

    new = agent.locator("#conversation-list li.fresh a").first
    expect(new).to_be_visible(timeout=15000)  # live, without a reload
    conversation = Conversation.objects.get(store=demo_shop)
    for _ in range(50):
        conversation.refresh_from_db()
        if conversation.held_by == "agent":
            break
        agent.wait_for_timeout(200)
    assert conversation.assignee == alice_agent, list(conversation.messages.values_list("sender", "text"))
    agent.goto(f"{server}/s/{demo_shop.slug}/inbox/?c={conversation.pk}")
    agent.get_by_role("button", name="Take over").click()
    expect(agent.locator("#holder")).to_contain_text("Held by Agnes", timeout=10000)

    agent.locator("#composer textarea").type("Hi, Agnes")
    expect(shopper.locator(".typing")).not_to_have_text("", timeout=10000)
    agent.locator("#composer button[type=submit]").click()
    expect(shopper.locator(".msg").filter(has_text="Hi, Agnes")).to_be_visible(timeout=10000)

    shopper.locator("textarea").type("my parcel is late")
    expect(agent.locator("#typing")).to_be_visible(timeout=10000)
    shopper.locator("textarea").press("Enter")
    expect(agent.locator("#messages .shopper").filter(has_text="my parcel is late")).to_be_visible(timeout=10000)

    # A canned response: "/ret" offers /returns, Enter expands it for this shopper, the agent sends it.
    agent.locator("#composer textarea").fill("")
    agent.locator("#composer textarea").type("/ret")
    expect(agent.locator("#canned-picker li").first).to_contain_text("/returns", timeout=5000)
    agent.locator("#composer textarea").press("Enter")
    expect(agent.locator("#composer textarea")).to_have_value("Hi there, returns are free within 30 days.", timeout=10000)
    agent.locator("#composer button[type=submit]").click()
    expect(shopper.locator(".msg").filter(has_text="returns are free within 30 days")).to_be_visible(timeout=10000)

    # A product card from a catalog search in the inbox, shown as a card in the shopper's widget.
    product = Product.objects.filter(store=demo_shop).exclude(title__contains="<").order_by("id").first()
    agent.locator("#catalog summary").click()
    agent.locator("#catalog-search input").fill(product.title)
    agent.locator("#catalog-search button").click()
    agent.get_by_role("button", name=f"Send {product.title}").first.click()
    expect(shopper.locator(".card h3").filter(has_text=product.title).last).to_be_visible(timeout=10000)

    agent.locator("form[data-action=hand_back] button").click()
    expect(agent.locator("#holder")).to_contain_text("bot", timeout=10000)
    bot_before = shopper.locator(".msg.bot").count()
    shopper.locator("textarea").fill("do you have gift cards?")
    shopper.locator("textarea").press("Enter")
    expect(shopper.locator(".msg.bot")).to_have_count(bot_before + 1, timeout=15000)
