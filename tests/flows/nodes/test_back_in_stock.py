from flows.nodes import back_in_stock
from flows.nodes.base import Incoming, WatchRestock
from tests.flows.nodes.helpers import message, shopper_data, texts
from tests.flows.nodes.shop_fakes import FakeShop, run_node

SOLD_OUT = {"product_id": "101", "title": "Linen Shirt", "in_stock": False, "variant_id": "", "variant_title": ""}
DATA = shopper_data(vars={"product_id": "101"})


def test_it_offers_to_tell_the_shopper_and_records_a_watch_on_yes():
    shop = FakeShop(products={"101": SOLD_OUT})
    offer = run_node(back_in_stock, shop, {}, data=DATA, node_id="bis")
    assert texts(offer) == ["Linen Shirt is sold out right now. Shall I let you know when it's back?"]
    yes = Incoming(kind="postback", payload=offer.replies[0].buttons[0].payload)
    asked = run_node(back_in_stock, shop, {}, data=DATA, node_id="bis", node_state=offer.node_state, incoming=yes)
    assert asked.effect == WatchRestock(product_id="101", variant_id="")
    done = run_node(back_in_stock, shop, {}, data=DATA, node_id="bis", node_state=offer.node_state,
                    effect_result={"ok": True, "in_stock": False, "error": ""})  # fmt: skip
    assert done.next == "watching" and texts(done) == ["Done! I'll let you know here as soon as Linen Shirt is back."]
    assert done.events[0].name == "restock_watch"


def test_no_thanks_leaves_by_declined_and_an_in_stock_product_by_in_stock():
    shop = FakeShop(products={"101": SOLD_OUT, "102": {**SOLD_OUT, "product_id": "102", "in_stock": True}})
    offer = run_node(back_in_stock, shop, {}, data=DATA, node_id="bis")
    assert run_node(back_in_stock, shop, {}, data=DATA, node_id="bis", node_state=offer.node_state,
                    incoming=message("no")).next == "declined"  # fmt: skip
    assert run_node(back_in_stock, shop, {"product": "102"}).next == "in_stock"


def test_a_product_back_in_stock_meanwhile_or_unknown():
    shop = FakeShop(products={"101": SOLD_OUT})
    offer = run_node(back_in_stock, shop, {}, data=DATA, node_id="bis")
    back = run_node(back_in_stock, shop, {}, data=DATA, node_state=offer.node_state,
                    effect_result={"ok": False, "in_stock": True, "error": ""})  # fmt: skip
    assert back.next == "in_stock"
    assert run_node(back_in_stock, shop, {"product": "nope"}).next == "unknown"


def test_the_product_can_come_from_the_cart():
    shop = FakeShop(products={"101": SOLD_OUT})
    data = shopper_data(cart={"items": [{"product_id": "101", "variant_id": "1011", "quantity": 1}]})
    assert run_node(back_in_stock, shop, {"product": ""}, data=data).wait_for_input


def test_without_a_shop_it_reports_a_misconfiguration():
    assert run_node(back_in_stock, None, {}).error
