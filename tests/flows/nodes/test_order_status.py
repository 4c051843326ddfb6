from flows.nodes import order_status
from flows.nodes.base import Incoming
from tests.flows.nodes.helpers import message, shopper_data, texts
from tests.flows.nodes.shop_fakes import ORDER, FakeShop, run_node

MINE = {**ORDER, "email": "ann@example.com"}


def step(shop, result=None, text=None, entities=None, payload=None):
    incoming = Incoming(kind="postback", payload=payload) if payload else (message(text) if text is not None else None)
    data = shopper_data(entities=entities or {})
    return run_node(order_status, shop, {}, incoming=incoming, node_state=result.node_state if result else None,
                    data=data, node_id="order")  # fmt: skip


def test_a_shopper_gives_number_then_email_and_reads_status_items_and_tracking():
    shop = FakeShop(orders=[MINE])
    asked = step(shop)
    assert texts(asked) == [order_status.Config().number_prompt] and asked.wait_for_input
    email = step(shop, asked, "1042", entities={"order_number": "1042"})
    assert texts(email) == [order_status.Config().email_prompt]
    found = step(shop, email, "Ann@Example.com")
    assert found.next == "found" and found.set_vars == {"order_name": "#1042"}
    answer = texts(found)[0]
    assert "Order #1042 (placed 3 Mar 2026) is shipped." in answer
    assert "Items: 1 x Linen Shirt, 1 x Straw Hat" in answer and "Shipped with UPS, tracking number 1Z999." in answer
    assert "Track it: https://ups.example/track?n=1Z999" in answer
    assert found.events[0].name == "order_status_answered" and found.events[0].data == {"order_id": 7}
    assert shop.asked == [("find", "1042", "ann@example.com")]


def test_number_and_email_in_one_message_are_enough():
    shop = FakeShop(orders=[MINE])
    found = step(shop, step(shop), "order #1042, ann@example.com", entities={"order_number": "1042",
                                                                            "email": "ann@example.com"})  # fmt: skip
    assert found.next == "found"


def test_the_message_that_led_here_can_name_the_order():
    shop = FakeShop(orders=[MINE])
    asked = step(shop, entities={"order_number": "1042"})
    assert texts(asked) == [order_status.Config().email_prompt]


def test_a_wrong_email_is_answered_like_an_unknown_order_and_asks_again():
    shop = FakeShop(orders=[MINE])
    wrong = step(shop, step(shop, step(shop), "1042"), "eve@example.com")
    unknown = step(shop, step(shop, step(shop), "9999"), "ann@example.com")
    assert texts(wrong) == texts(unknown) == [order_status.Config().not_found_text, order_status.Config().number_prompt]
    assert wrong.node_state == unknown.node_state == {"stage": "number", "tries": 1}


def test_after_the_last_try_it_leaves_by_not_found():
    shop = FakeShop(orders=[MINE])
    result = step(shop)
    for _ in range(3):
        result = step(shop, step(shop, result, "1042"), "eve@example.com")
    assert result.next == "not_found" and texts(result) == [order_status.Config().not_found_text]


def test_when_the_shop_throttles_lookups_it_says_so_and_gives_up():
    shop = FakeShop(orders=[MINE], throttled=True)
    result = step(shop, step(shop, step(shop), "1042"), "ann@example.com")
    assert result.next == "not_found" and texts(result) == [order_status.Config().throttled_text]


def test_an_email_that_is_not_one_is_asked_again():
    shop = FakeShop(orders=[MINE])
    asked = step(shop, step(shop, step(shop), "1042"), "not an email")
    assert "doesn't look like an email" in texts(asked)[0] and asked.node_state["stage"] == "email"
    assert shop.asked == []


def test_a_verified_customer_picks_from_their_orders_without_an_email():
    older = {**ORDER, "id": 8, "name": "#1001", "fulfillment_status": "unfulfilled", "shipments": []}
    shop = FakeShop(own=[MINE, older])
    menu = step(shop)
    assert [b.title for b in menu.replies[0].buttons] == ["#1042 · 3 Mar 2026", "#1001 · 3 Mar 2026", "Another order"]
    picked = step(shop, menu, payload=menu.replies[0].buttons[1].payload)
    assert picked.next == "found" and "Order #1001 (placed 3 Mar 2026) is being prepared." in texts(picked)[0]
    typed = step(shop, menu, "1042")
    assert typed.next == "found" and shop.asked == []
    other = step(shop, menu, payload=menu.replies[0].buttons[2].payload)
    assert texts(other) == [order_status.Config().number_prompt]


def test_status_phrases_cover_cancelled_refunded_and_unpaid_orders():
    assert order_status.status_phrase({**ORDER, "cancelled": True}) == "cancelled"
    assert order_status.status_phrase({**ORDER, "financial_status": "refunded"}) == "refunded"
    unpaid = {**ORDER, "financial_status": "pending", "fulfillment_status": "unfulfilled"}
    assert order_status.status_phrase(unpaid) == "waiting for payment"


def test_without_a_shop_it_reports_a_misconfiguration():
    assert run_node(order_status, None, {}).error
