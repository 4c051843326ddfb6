"""Two browsers: a shopper on the demo storefront asks for a person, an agent in the inbox takes it over."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conversations.models import Conversation
from tests.conftest import logged_in
from tests.e2e.test_widget_storefront import browser, demo_shop, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_takes_over_a_handoff_chats_with_typing_and_hands_back_to_the_bot(server, browser, demo_shop, alice_agent):  # noqa: F811
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

    agent.locator("form[data-action=hand_back] button").click()
    expect(agent.locator("#holder")).to_contain_text("bot", timeout=10000)
    bot_before = shopper.locator(".msg.bot").count()
    shopper.locator("textarea").fill("do you have gift cards?")
    shopper.locator("textarea").press("Enter")
    expect(shopper.locator(".msg.bot")).to_have_count(bot_before + 1, timeout=15000)
