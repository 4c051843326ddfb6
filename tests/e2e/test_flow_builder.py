"""The flow builder in a real Chromium against a real ASGI server: build a flow by dragging and connecting,
personalize it, publish, preview it as a returning customer, break it, roll back, and two people editing."""

# ruff: noqa: F811 (the browser fixture is imported from the storefront tests and named as a parameter)
import pytest
from django.conf import settings
from playwright.sync_api import expect

from flows import services
from flows.models import Flow
from tests.conftest import logged_in
from tests.e2e.test_widget_storefront import browser  # noqa: F401 (fixture)
from tests.flowkit import graph, node
from tests.processes import free_port, start_server, stop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(alice_store, alice_shop_mirror):
    port = free_port()
    process = start_server(port, eager=True)
    yield f"http://127.0.0.1:{port}"
    output = stop(process)
    assert "Traceback" not in output, output


def signed_in(browser, server, user):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    cookie = logged_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server}])
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def open_builder(page, server, flow):
    page.goto(f"{server}/s/{flow.store.slug}/flows/{flow.pk}/builder/")
    expect(page.get_by_test_id("save-state")).to_have_text("All changes saved", timeout=15000)


def card(page, node_id):
    return page.get_by_test_id(f"node-{node_id}")


def connect(page, source_id, port, target_id):
    """Drag from a node's exit to another node's input, as a person does with the mouse."""
    start = card(page, source_id).locator(f'.handle-out[data-handleid="{port}"]').bounding_box()
    end = card(page, target_id).locator(".handle-in").bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def drop(page, node_type, x, y):
    page.locator(f'.palette-item[data-type="{node_type}"]').drag_to(
        page.locator(".react-flow__pane"), target_position={"x": x, "y": y}
    )


def saved(page):
    expect(page.get_by_test_id("save-state")).to_have_text("All changes saved", timeout=10000)


def test_build_a_flow_by_dragging_publish_it_and_chat_with_it_as_a_returning_customer(
    server, browser, alice, alice_store
):
    page = signed_in(browser, server, alice)
    page.goto(f"{server}/s/{alice_store.slug}/flows/")
    page.get_by_label("Start from").select_option("blank")
    page.get_by_label("Name").fill("Welcome back")
    page.get_by_role("button", name="Create").click()
    saved(page)
    flow = Flow.objects.get(store=alice_store, name="Welcome back")

    # The greeting, personalized with the variable picker.
    card(page, "welcome").click()
    text = page.locator("#f-config-text")
    text.fill("Welcome back, ")
    page.locator('.field[data-field="config.text"] .variable-picker').select_option("{{ customer.first_name }}")
    expect(text).to_have_value("Welcome back, {{ customer.first_name }}")

    # A question with one button, dragged in from the palette and connected under the greeting.
    drop(page, "buttons", 300, 560)
    expect(card(page, "buttons_1")).to_be_visible()
    page.locator("#f-config-text").fill("What are you looking for?")
    page.locator("#f-config-buttons-0-title").fill("Hats")
    connect(page, "welcome", "default", "buttons_1")
    expect(page.locator(".react-flow__edge")).to_have_count(1)

    drop(page, "send_message", 560, 690)
    expect(card(page, "send_message_1")).to_be_visible()
    page.locator("#f-config-text").fill("Our straw hats are back in stock.")
    connect(page, "buttons_1", "option_1", "send_message_1")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    # The button's exit is taken now: a second connection from it is refused while dragging.
    connect(page, "buttons_1", "option_1", "welcome")
    expect(page.locator(".toast")).to_contain_text("already connected")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    # A loop in which no step waits for the shopper is refused too.
    drop(page, "send_message", 150, 690)
    expect(card(page, "send_message_2")).to_be_visible()
    page.locator("#f-config-text").fill("Anything else?")
    connect(page, "send_message_1", "default", "send_message_2")
    expect(page.locator(".react-flow__edge")).to_have_count(3)
    connect(page, "send_message_2", "default", "send_message_1")
    expect(page.locator(".toast")).to_contain_text("never waits for the shopper")
    expect(page.locator(".react-flow__edge")).to_have_count(3)
    saved(page)

    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".toast")).to_contain_text("Published version 1")
    flow.refresh_from_db()
    assert flow.published_version.graph["nodes"][0]["config"]["text"] == "Welcome back, {{ customer.first_name }}"
    assert {(e["from"], e["port"], e["to"]) for e in flow.published_version.graph["edges"]} == {
        ("welcome", "default", "buttons_1"), ("buttons_1", "option_1", "send_message_1"),
        ("send_message_1", "default", "send_message_2"),
    }  # fmt: skip

    # The preview: the real widget, as Carol (a synced customer) coming back.
    page.get_by_role("button", name="Preview").click()
    page.get_by_label("Returning visitor").check()
    page.get_by_label("Logged in as").select_option("201")  # Carol
    page.get_by_role("button", name="Start preview").click()
    chat = page.frame_locator(".preview-frame")
    expect(chat.locator(".msg.bot").filter(has_text="Welcome back, Carol")).to_be_visible(timeout=15000)
    expect(page.locator(".flow-node.active")).to_have_attribute("data-node-id", "buttons_1", timeout=10000)
    chat.get_by_role("button", name="Hats").click()
    expect(chat.locator(".msg.bot").filter(has_text="Our straw hats are back in stock.")).to_be_visible(timeout=10000)
    expect(chat.locator(".msg.bot").filter(has_text="Anything else?")).to_be_visible(timeout=10000)
    expect(page.locator(".flow-node.active")).to_have_attribute("data-node-id", "send_message_2")
    page.get_by_role("button", name="Close preview").click()

    # Break a connection: the step it led to is unreachable, said on the card, and publishing is refused.
    page.locator('.react-flow__edge[data-id="welcome:default->buttons_1"]').click()
    page.keyboard.press("Delete")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    saved(page)
    expect(card(page, "buttons_1").locator(".node-problem")).to_have_text("No path from the start reaches this node.")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".toast.error")).to_contain_text("problems")
    flow.refresh_from_db()
    assert flow.published_version.number == 1 and flow.versions.count() == 1

    # Undo brings the connection back.
    page.locator(".react-flow__pane").click(position={"x": 50, "y": 50})
    page.keyboard.press("Control+z")
    expect(page.locator(".react-flow__edge")).to_have_count(3)
    saved(page)
    expect(card(page, "buttons_1").locator(".node-problem")).to_have_count(0)

    # Copy and paste a step: a new id, the same settings.
    card(page, "send_message_1").click()
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(card(page, "send_message_3")).to_contain_text("Our straw hats are back in stock.")
    saved(page)


def versions_flow(store, user):
    flow = services.create_flow(store, name="Greeting", by=user, graph=graph(
        [node("hi", "send_message", text="First greeting")], []))  # fmt: skip
    services.publish_flow(flow, by=user)
    services.update_flow(flow, by=user, graph=graph([node("hi", "send_message", text="Second greeting")], []))
    services.publish_flow(flow, by=user)
    return Flow.objects.get(pk=flow.pk)


def test_roll_back_to_an_earlier_version_from_the_history(server, browser, alice, alice_store):
    flow = versions_flow(alice_store, alice)
    page = signed_in(browser, server, alice)
    open_builder(page, server, flow)
    expect(page.locator(".live-version")).to_have_text("Live: v2")
    page.get_by_role("button", name="History").click()
    history = page.locator(".versions li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Alice")
    page.get_by_role("button", name="Roll back to v1").click()
    expect(page.locator(".toast")).to_contain_text("Version 1 is live again")
    expect(card(page, "hi")).to_contain_text("First greeting")
    expect(page.locator(".live-version")).to_have_text("Live: v1")
    flow.refresh_from_db()
    assert flow.published_version.number == 1 and flow.draft_graph["nodes"][0]["config"]["text"] == "First greeting"

    # A network blip while editing: the change waits, is retried, and lands once the network is back.
    page.get_by_role("button", name="Close history").click()
    page.context.set_offline(True)
    card(page, "hi").click()
    page.locator("#f-config-text").fill("Written while offline")
    expect(page.get_by_test_id("save-state")).to_have_text("Offline — retrying", timeout=10000)
    page.context.set_offline(False)
    expect(page.get_by_test_id("save-state")).to_have_text("All changes saved", timeout=30000)
    flow.refresh_from_db()
    assert flow.draft_graph["nodes"][0]["config"]["text"] == "Written while offline"


def test_two_people_editing_one_flow_the_second_is_warned_and_sees_the_newer_draft(
    server, browser, alice, alice_admin, alice_store
):
    flow = versions_flow(alice_store, alice)
    alices, adams = signed_in(browser, server, alice), signed_in(browser, server, alice_admin)
    open_builder(alices, server, flow)
    open_builder(adams, server, flow)

    card(alices, "hi").click()
    alices.locator("#f-config-text").fill("Alice's greeting")
    saved(alices)

    card(adams, "hi").click()
    adams.locator("#f-config-text").fill("Adam's greeting")
    banner = adams.locator(".banner.conflict")
    expect(banner).to_contain_text("Alice changed this flow since you opened it", timeout=10000)
    expect(card(adams, "hi")).to_contain_text("Alice's greeting")  # the newer version, not silently overwritten
    flow.refresh_from_db()
    assert flow.draft_graph["nodes"][0]["config"]["text"] == "Alice's greeting"

    # Adam may knowingly put his version back: saved on top of Alice's revision.
    adams.get_by_role("button", name="Put my version back").click()
    saved(adams)
    flow.refresh_from_db()
    assert flow.draft_graph["nodes"][0]["config"]["text"] == "Adam's greeting"
