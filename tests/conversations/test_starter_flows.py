"""Each starter flow end to end on the demo shop's data, as a trigger would start it."""

import pytest
from django.db import transaction

from conversations.models import Conversation, HeldBy
from flows import services as flow_services
from flows.models import Flow
from flows.starters import install_starters
from flows.understanding.services import create_faq_entry, seed_default_understanding
from integrations.models import Customer, Order, Product
from tests.conversations.shop_world import ShopShopper, shipped_order

AWAY = "Our team is away right now. Leave your email and we'll get back to you there."


@pytest.fixture
def starters(demo_shop, on_commit):
    with on_commit(execute=True), transaction.atomic():
        seed_default_understanding(demo_shop)  # the intents and FAQs every new store gets, trained
    install_starters(demo_shop)
    return {f.name: f for f in Flow.objects.filter(store=demo_shop)}


def start_in(flow_name, starters, shopper_factory):
    """A shopper whose chat starts in the named starter (what a trigger does)."""
    flow_services.make_default_flow(starters[flow_name])
    return shopper_factory()


# --- the store assistant ----------------------------------------------------------------------------


def test_the_assistant_greets_a_returning_customer_by_name_and_finds_their_order(demo_shop, starters, on_commit):
    order = shipped_order(demo_shop)
    shopper = start_in("Store assistant", starters,
                       lambda: ShopShopper(demo_shop, on_commit, customer=order.customer))  # fmt: skip
    assert shopper.bot_texts() == [f"Welcome back, {order.customer.first_name}! 👋 I'm Assistant, here to help.",
                                   "How can I help you today?"]  # fmt: skip
    menu = shopper.last_bot_message().buttons
    assert [b["title"] for b in menu] == ["Order status", "Find a product", "Shipping & returns", "Talk to us"]
    shopper.say("Order status")
    pick = next(b for b in shopper.last_bot_message().buttons if b["title"].startswith(order.name + " "))
    answer = shopper.say(payload=pick["payload"])
    assert answer[0].startswith(f"Order {order.name}") and answer[-1] == "Anything else I can help with?"
    assert shopper.say("No, that's all")[0] == "Thanks for stopping by — have a lovely day! 👋"


def test_a_new_visitor_types_where_their_order_is_and_gives_number_and_email(demo_shop, starters, on_commit):
    order = shipped_order(demo_shop)
    shopper = start_in("Store assistant", starters, lambda: ShopShopper(demo_shop, on_commit))
    assert shopper.bot_texts()[0] == "Hi! 👋 I'm Assistant, Alice's Apparel's assistant."
    assert shopper.say(f"where is my order #{order.number}") == ["And the email address you used for that order?"]
    assert shopper.say(order.email)[0].startswith(f"Order {order.name}")


def test_the_assistant_finds_products_by_keyword_and_by_collection(demo_shop, starters, on_commit):
    shopper = start_in("Store assistant", starters, lambda: ShopShopper(demo_shop, on_commit))
    shopper.say("Find a product")
    assert shopper.say("Search by keyword") == ["What are you looking for?"]
    assert shopper.say("tennis") == ["Here's what I found:", "Anything else I can help with?"]
    shopper.say("Something else")
    shopper.say("Find a product")
    shopper.say("Browse collections")
    assert shopper.say("Plants")[0] == "Here's a look at plants:"


def test_typed_questions_are_answered_from_faqs_or_searched_in_the_catalog(demo_shop, starters, on_commit):
    with on_commit(execute=True), transaction.atomic():
        create_faq_entry(demo_shop, questions=["do you sell gift cards", "can i buy a gift card"],
                         answer="Yes! Gift cards come in $25, $50 and $100.")  # fmt: skip
    shopper = start_in("Store assistant", starters, lambda: ShopShopper(demo_shop, on_commit))
    assert shopper.say("do you sell gift cards?") == ["Yes! Gift cards come in $25, $50 and $100.",
                                                       "Anything else I can help with?"]  # fmt: skip
    found = shopper.say("laptop")
    assert found[0] == "Here's what I found for “laptop”:" and shopper.refresh()
    assert shopper.say("qwxz zzyv") == ["I'm not sure I got that. You can pick from the menu, or ask to talk to us.",
                                        "Anything else I can help with?"]  # fmt: skip


def test_shipping_and_returns_and_talk_to_us(demo_shop, starters, on_commit):
    shopper = start_in("Store assistant", starters, lambda: ShopShopper(demo_shop, on_commit))
    assert "Returns:" in shopper.say("Shipping & returns")[0]
    assert shopper.say("i want to talk to a human") == [AWAY]
    shopper.say("dana@example.com")
    assert Conversation.objects.get(pk=shopper.conversation.pk).held_by == HeldBy.AGENT


# --- the proactive starters ---------------------------------------------------------------------


def cart_of(store, n=2):
    variants = [p.variants.first() for p in Product.objects.filter(store=store).order_by("id")[:n]]
    return {"items": [{"product_id": v.product.platform_id, "variant_id": v.platform_id, "quantity": 1}
                      for v in variants], "total": "0", "currency": "USD"}  # fmt: skip


def test_abandoned_cart_recovery_brings_the_cart_back(demo_shop, starters, on_commit):
    shopper = start_in("Abandoned cart recovery", starters,
                       lambda: ShopShopper(demo_shop, on_commit, cart=cart_of(demo_shop)))  # fmt: skip
    assert shopper.bot_texts() == ["You left something in your cart 🛒 — it's saved for you.",
                                   "Shall I take you back to checkout, with 10% off?"]  # fmt: skip
    link, done = shopper.say("Yes, take me there")  # the store does not let flows create codes: no code
    assert link == f"Here's your cart, ready to check out: http://localhost:8000/demo/{demo_shop.slug}/cart/"
    assert done == "Any questions before you check out? Just ask."


def test_abandoned_cart_with_an_emptied_cart(demo_shop, starters, on_commit):
    cart = cart_of(demo_shop, 1)
    Product.objects.filter(store=demo_shop, platform_id=cart["items"][0]["product_id"]).delete()
    shopper = start_in("Abandoned cart recovery", starters, lambda: ShopShopper(demo_shop, on_commit, cart=cart))
    assert shopper.say("Yes, take me there") == ["Looks like your cart is empty now — happy browsing!"]


def test_first_order_discount_for_an_email(demo_shop, starters, on_commit):
    shopper = start_in("First-order discount", starters, lambda: ShopShopper(demo_shop, on_commit))
    assert shopper.bot_texts()[0].startswith("Welcome! 🎁 Would you like 10% off your first order?")
    assert shopper.say("Yes, I'd like that") == ["What's your email address?"]
    # The demo store has no platform to create codes on and no fallback code: a polite apology, then goodbye.
    assert shopper.say("new.shopper@example.com") == ["Sorry, I couldn't get a discount code for you just now.",
                                                      "Enjoy your shopping!"]  # fmt: skip
    assert shopper.refresh().contact.email == "new.shopper@example.com"


def test_returning_shoppers_get_personal_picks(demo_shop, starters, on_commit):
    customer = Customer.objects.filter(store=demo_shop, orders_count__gt=0).order_by("id").first()
    shopper = start_in("Picks for returning shoppers", starters,
                       lambda: ShopShopper(demo_shop, on_commit, customer=customer))  # fmt: skip
    texts = shopper.bot_texts()
    assert texts[:2] == [f"Welcome back, {customer.first_name}! 👋 A few picks for you:", "Picked for you:"]
    picks = shopper.conversation.messages.filter(text="Picked for you:").get().cards
    assert len(picks) == 4 and all(card["in_stock"] for card in picks)


def test_order_fulfilled_update_tells_the_customer_with_tracking(demo_shop, starters, on_commit):
    order = shipped_order(demo_shop)
    newer = Order.objects.filter(store=demo_shop, email=order.email, placed_at__gt=order.placed_at)
    newer.update(placed_at=order.placed_at)  # this shipped order is the customer's newest
    Order.objects.filter(pk=order.pk).update(placed_at=order.placed_at.replace(year=order.placed_at.year + 1))
    shipment = order.fulfillments.get()
    shopper = start_in("Order shipped update", starters,
                       lambda: ShopShopper(demo_shop, on_commit, customer=order.customer))  # fmt: skip
    assert shopper.bot_texts()[0] == (
        f"Good news, {order.customer.first_name}! 📦 Your order {order.name} is on its way with {shipment.carrier}. "
        f"Track it here: {shipment.tracking_url}"
    )
    assert shopper.say("I have a question") == [f"Thanks! We'll reply to {order.email} as soon as we're back."]
    assert Conversation.objects.get(pk=shopper.conversation.pk).held_by == HeldBy.AGENT


def test_an_faq_answer_node_answers_from_the_stores_faqs_and_routes_the_rest(demo_shop, starters, on_commit):
    from tests.conversations.conftest import publish
    from tests.flowkit import edge, graph, node

    publish(demo_shop, graph(
        [node("ask", "faq_answer", prompt="Ask me anything about the shop."),
         node("search", "product_search", query="{{ vars.question }}", text="Maybe one of these?"),
         node("done", "send_message", text="Glad I could help.")],
        [edge("ask", "done", "answered"), edge("ask", "search", "none")],
    ))  # fmt: skip
    shopper = ShopShopper(demo_shop, on_commit)
    assert shopper.bot_texts() == ["Ask me anything about the shop."]
    assert shopper.say("which countries do you ship to?") == [
        "We ship to most countries. Delivery times and costs are shown at checkout.", "Glad I could help."
    ]
    other = ShopShopper(demo_shop, on_commit)
    assert other.say("tripod") == ["Maybe one of these?"] and other.last_bot_message().cards
