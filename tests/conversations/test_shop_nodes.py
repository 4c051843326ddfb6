"""The shop nodes end to end on the demo shop's data: a shopper chats through the real services, the engine runs
the nodes against the real shop reader, and the answers, events and rows are what a store would see."""

import json

import pytest

from analytics.models import Event
from conversations.models import Contact
from conversations.shop import ORDER_MISSES_PER_CONTACT, ORDER_MISSES_PER_STORE
from integrations.models import Order, Product, RestockWatch, Variant, WebhookDelivery
from integrations.queries import recommend_for_contact
from tests.conversations.conftest import publish
from tests.conversations.shop_world import ShopShopper, shipped_order
from tests.flowkit import edge, graph, node

NOT_FOUND = "I couldn't find an order with that number and email. Please check both and try again."
THROTTLED = "I can't look up more orders right now. Please try again later, or ask to talk to us."


def events(store, name):
    return list(Event.objects.filter(store=store, name=name).values_list("data", flat=True))


def order_status_flow():
    return graph(
        [node("hi", "send_message", text="Hi!"), node("order", "order_status"),
         node("found", "send_message", text="Anything else about {{ vars.order_name }}?"),
         node("gave_up", "send_message", text="Let me get you a person.")],
        [edge("hi", "order"), edge("order", "found", "found"), edge("order", "gave_up", "not_found")],
    )  # fmt: skip


# --- product search and recommendations ---------------------------------------------------------


def test_a_shopper_searches_the_catalog_and_gets_product_cards(demo_shop, on_commit):
    publish(demo_shop, graph([node("search", "product_search"), node("none", "send_message", text="Try again?")],
                             [edge("search", "none", "none")]))  # fmt: skip
    shopper = ShopShopper(demo_shop, on_commit)
    assert shopper.bot_texts() == ["What are you looking for?"]
    assert shopper.say("running shoes under 200") == ["Here's what I found:"]
    cards = shopper.last_bot_message().cards
    assert cards and all("Running Shoe" in card["title"] and float(card["price"]) <= 200 for card in cards)
    assert cards[0]["url"].startswith(f"/demo/{demo_shop.slug}/p/")
    assert events(demo_shop, "product_search")[0]["results"] == len(cards)


def test_a_search_with_no_results_takes_the_none_branch(demo_shop, on_commit):
    publish(demo_shop, graph([node("search", "product_search"), node("none", "send_message", text="Try again?")],
                             [edge("search", "none", "none")]))  # fmt: skip
    shopper = ShopShopper(demo_shop, on_commit)
    assert shopper.say("zzzqqq xylophone") == ["I couldn't find anything matching that.", "Try again?"]


def test_a_shopper_browses_a_collection_they_pick(demo_shop, on_commit):
    publish(demo_shop, graph([node("browse", "product_search", mode="collection", text="In {{ vars.query }}:")], []))
    shopper = ShopShopper(demo_shop, on_commit)
    buttons = shopper.last_bot_message().buttons
    footwear = next(b for b in buttons if b["title"] == "Footwear")
    assert shopper.say(payload=footwear["payload"]) == ["In footwear:"]
    titles = {card["title"] for card in shopper.last_bot_message().cards}
    footwear_titles = set(Product.objects.filter(store=demo_shop, collections__title="Footwear").values_list("title", flat=True))
    assert titles and titles <= footwear_titles


def test_a_verified_customer_gets_personal_picks_never_what_they_bought(demo_shop, on_commit):
    customer = shipped_order(demo_shop).customer
    publish(demo_shop, graph([node("picks", "recommendations", kind="personal", limit=4)], []))
    shopper = ShopShopper(demo_shop, on_commit, customer=customer)
    shown = [card["product_id"] for card in shopper.last_bot_message().cards]
    expected = recommend_for_contact(demo_shop, customer=customer, limit=4)
    assert shown == [p.platform_id for p in expected] and len(shown) == 4
    bought = set(Order.objects.filter(store=demo_shop, customer=customer)
                 .values_list("line_items__product__platform_id", flat=True))  # fmt: skip
    assert not bought & set(shown)


def test_bought_together_picks_start_from_the_product_in_the_cart(demo_shop, on_commit):
    product = Product.objects.filter(store=demo_shop).order_by("id").first()
    variant = product.variants.first()
    cart = {"items": [{"product_id": product.platform_id, "variant_id": variant.platform_id, "quantity": 1}]}
    publish(demo_shop, graph([node("picks", "recommendations", kind="similar"),
                              node("none", "send_message", text="Nothing")], [edge("picks", "none", "empty")]))  # fmt: skip
    shopper = ShopShopper(demo_shop, on_commit, cart=cart)
    cards = shopper.last_bot_message().cards
    assert cards and product.platform_id not in {c["product_id"] for c in cards}


# --- order status: only for the order's owner ---------------------------------------------------


@pytest.mark.parametrize("shape", ["{n}", "#{n}", "order {n}", "Order no. #{n}", "my order number is {n} thanks"])
def test_an_order_number_in_any_shape_with_its_email_gets_status_items_and_tracking(demo_shop, on_commit, shape):
    order = shipped_order(demo_shop)
    publish(demo_shop, order_status_flow())
    shopper = ShopShopper(demo_shop, on_commit)
    assert shopper.say(shape.format(n=order.number)) == ["And the email address you used for that order?"]
    answer, follow_up = shopper.say(order.email.upper())
    shipment = order.fulfillments.get()
    assert answer.startswith(f"Order {order.name} (placed ") and " is shipped." in answer
    assert f"Shipped with {shipment.carrier}, tracking number {shipment.tracking_number}." in answer
    assert f"Track it: {shipment.tracking_url}" in answer
    assert all(f"{li.quantity} x {li.title}" in answer for li in order.line_items.all())
    assert follow_up == f"Anything else about {order.name}?"
    assert events(demo_shop, "order_status_answered") == [{"order_id": order.pk}]


def test_number_and_email_in_one_message(demo_shop, on_commit):
    order = shipped_order(demo_shop)
    publish(demo_shop, order_status_flow())
    shopper = ShopShopper(demo_shop, on_commit)
    assert shopper.say(f"where is order #{order.number}? it's {order.email}")[0].startswith(f"Order {order.name}")


def test_someone_elses_order_number_with_your_own_email_is_answered_like_an_unknown_order(demo_shop, on_commit):
    mine, theirs = Order.objects.filter(store=demo_shop, customer__isnull=False).order_by("number")[:2]
    publish(demo_shop, order_status_flow())
    shopper = ShopShopper(demo_shop, on_commit)
    shopper.say(str(theirs.number))
    wrong_pair = shopper.say(mine.email)
    shopper.say("99999")
    unknown = shopper.say(mine.email)
    assert wrong_pair == unknown == [NOT_FOUND, "What's your order number? You'll find it in your order confirmation email."]
    assert theirs.name not in " ".join(shopper.bot_texts()) and events(demo_shop, "order_status_answered") == []


def test_three_misses_give_up_and_take_the_not_found_branch(demo_shop, on_commit):
    order = shipped_order(demo_shop)
    publish(demo_shop, order_status_flow())
    shopper = ShopShopper(demo_shop, on_commit)
    for _ in range(2):
        shopper.say(str(order.number))
        shopper.say("eve@example.com")
    shopper.say(str(order.number))
    assert shopper.say("eve@example.com") == [NOT_FOUND, "Let me get you a person."]


def test_repeated_misses_are_throttled_per_contact_even_for_the_right_pair(demo_shop, on_commit):
    order = shipped_order(demo_shop)
    publish(demo_shop, graph([node("order", "order_status", max_tries=5), node("again", "jump", node_id="order")],
                             [edge("order", "again", "not_found")]))  # fmt: skip
    shopper = ShopShopper(demo_shop, on_commit)
    for _ in range(ORDER_MISSES_PER_CONTACT):
        shopper.say(str(order.number))
        shopper.say("eve@example.com")
    shopper.say(str(order.number))
    assert shopper.say(order.email)[0] == THROTTLED
    other = ShopShopper(demo_shop, on_commit)  # another shopper of the store is not held back by this one
    other.say(str(order.number))
    assert other.say(order.email)[0].startswith(f"Order {order.name}")


def test_misses_across_many_shoppers_throttle_the_whole_store(demo_shop, on_commit, monkeypatch):
    monkeypatch.setattr("conversations.shop.ORDER_MISSES_PER_STORE", 3)
    order = shipped_order(demo_shop)
    publish(demo_shop, order_status_flow())
    for _ in range(3):
        guesser = ShopShopper(demo_shop, on_commit)
        guesser.say(str(order.number))
        guesser.say("eve@example.com")
    honest = ShopShopper(demo_shop, on_commit)
    honest.say(str(order.number))
    assert honest.say(order.email) == [THROTTLED, "Let me get you a person."]
    assert ORDER_MISSES_PER_STORE > ORDER_MISSES_PER_CONTACT


def test_a_verified_customer_picks_from_their_own_recent_orders(demo_shop, on_commit):
    order = shipped_order(demo_shop)
    publish(demo_shop, order_status_flow())
    shopper = ShopShopper(demo_shop, on_commit, customer=order.customer)
    buttons = shopper.last_bot_message().buttons
    assert buttons[-1]["title"] == "Another order"
    own = set(Order.objects.filter(store=demo_shop, email=order.email).values_list("name", flat=True))
    assert {b["title"].split(" · ")[0] for b in buttons[:-1]} <= own
    pick = next(b for b in buttons if b["title"].startswith(order.name + " "))
    assert shopper.say(payload=pick["payload"])[0].startswith(f"Order {order.name}")


def test_a_verified_customer_cannot_read_someone_elses_order_by_number(demo_shop, on_commit):
    order = shipped_order(demo_shop)
    other = Order.objects.filter(store=demo_shop).exclude(email=order.email).order_by("number").first()
    publish(demo_shop, order_status_flow())
    shopper = ShopShopper(demo_shop, on_commit, customer=order.customer)
    shopper.say(payload=shopper.last_bot_message().buttons[-1]["payload"])  # "Another order"
    assert shopper.say(str(other.number)) == ["And the email address you used for that order?"]
    assert shopper.say(order.email)[0] == NOT_FOUND


def test_another_stores_order_is_never_found(demo_shop, bob_store, on_commit):
    order = shipped_order(demo_shop)
    publish(bob_store, order_status_flow())
    shopper = ShopShopper(bob_store, on_commit)
    shopper.say(str(order.number))
    assert shopper.say(order.email)[0] == NOT_FOUND


# --- back in stock, leads, checkout links -------------------------------------------------------


def test_a_shopper_asks_to_hear_when_a_sold_out_product_is_back(demo_shop, on_commit):
    product = Product.objects.filter(store=demo_shop).order_by("id")[3]
    Variant.objects.filter(store=demo_shop, product=product).update(inventory_quantity=0)
    publish(demo_shop, graph([node("bis", "back_in_stock", product=product.handle)], []))
    shopper = ShopShopper(demo_shop, on_commit)
    assert shopper.bot_texts() == [f"{product.title} is sold out right now. Shall I let you know when it's back?"]
    assert shopper.say("Yes, tell me") == [f"Done! I'll let you know here as soon as {product.title} is back."]
    watch = RestockWatch.objects.get(store=demo_shop)
    assert (watch.product, watch.contact_id, watch.variant) == (product, shopper.contact.pk, None)


def test_an_in_stock_product_is_not_offered(demo_shop, on_commit):
    product = Product.objects.filter(store=demo_shop).order_by("id")[3]
    Variant.objects.filter(store=demo_shop, product=product).update(inventory_quantity=5)
    publish(demo_shop, graph([node("bis", "back_in_stock", product=product.handle),
                              node("buy", "send_message", text="{{ vars.product_title }} is in stock!")],
                             [edge("bis", "buy", "in_stock")]))  # fmt: skip
    assert ShopShopper(demo_shop, on_commit).bot_texts() == [f"{product.title} is in stock!"]


def test_a_lead_with_consent_is_stored_and_sent_to_the_stores_webhooks(demo_shop, on_commit, settings):
    from integrations import outbound

    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    outbound.create_endpoint(demo_shop, url="http://127.0.0.1:9/hooks", events=["lead.captured"])
    publish(demo_shop, graph([node("lead", "capture_lead", source="test"),
                              node("after", "send_message", text="Saved {{ contact.email }}.")],
                             [edge("lead", "after", "captured")]))  # fmt: skip
    shopper = ShopShopper(demo_shop, on_commit)
    assert shopper.say("Yes, please") == ["What's your email address?"]
    assert shopper.say("dana@Example.com") == ["Thanks, you're on the list!", "Saved dana@example.com."]
    contact = Contact.objects.get(pk=shopper.contact.pk)
    assert contact.email == "dana@example.com" and contact.attributes["marketing_consent"] is True
    delivery = WebhookDelivery.objects.get(store=demo_shop)
    assert delivery.event == "lead.captured" and "dana@example.com" in delivery.body
    assert events(demo_shop, "lead_captured") == [{"fields": ["email"], "source": "test"}]


def test_declining_consent_stores_nothing(demo_shop, on_commit):
    publish(demo_shop, graph([node("lead", "capture_lead")], []))
    shopper = ShopShopper(demo_shop, on_commit)
    assert shopper.say("No, thanks") == ["No problem."]
    assert Contact.objects.get(pk=shopper.contact.pk).email == "" and events(demo_shop, "lead_captured") == []


def test_a_cart_with_a_deleted_product_gets_a_link_without_it(demo_shop, on_commit):
    first, second = Product.objects.filter(store=demo_shop).order_by("id")[:2]
    keep, gone = first.variants.first(), second.variants.first()
    cart = {"items": [{"product_id": keep.product.platform_id, "variant_id": keep.platform_id, "quantity": 2},
                      {"product_id": gone.product.platform_id, "variant_id": gone.platform_id, "quantity": 1}]}  # fmt: skip
    gone.product.delete()
    publish(demo_shop, graph([node("link", "checkout_link", discount="code", code="WELCOME10")], []))
    shopper = ShopShopper(demo_shop, on_commit, cart=cart)
    assert shopper.bot_texts() == [
        "1 item in your cart is no longer available, so I left it out.",
        f"Here's your cart with code WELCOME10 applied: http://localhost:8000/demo/{demo_shop.slug}/cart/?discount=WELCOME10",
    ]
    assert events(demo_shop, "discount_shown") == [{"code": "WELCOME10"}]


def test_an_answered_order_status_is_sent_to_the_stores_webhooks(demo_shop, on_commit, settings):
    from integrations import outbound

    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    outbound.create_endpoint(demo_shop, url="http://127.0.0.1:9/hooks", events=["order_status.asked"])
    order = shipped_order(demo_shop)
    publish(demo_shop, order_status_flow())
    shopper = ShopShopper(demo_shop, on_commit)
    shopper.say(f"{order.number} {order.email}")
    delivery = WebhookDelivery.objects.get(store=demo_shop)
    body = json.loads(delivery.body)
    assert delivery.event == "order_status.asked"
    assert body["data"]["order"] == {"id": order.platform_id, "name": order.name, "email": order.email}
