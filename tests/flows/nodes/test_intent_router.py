from flows.nodes import intent_router
from flows.nodes.base import Incoming
from tests.flows.nodes.helpers import invalid, message, shopper_data, texts
from tests.flows.nodes.shop_fakes import run_node

CONFIG = {"text": "How can I help?", "routes": [
    {"id": "order", "intents": ["track_order"], "button": "Order status"},
    {"id": "human", "intents": ["talk_to_human", "complaint"], "button": "Talk to us"},
    {"id": "returns", "intents": ["returns_refunds"]},
]}  # fmt: skip


def routed(text="", intent="", faq="", payload=""):
    incoming = Incoming(kind="postback", payload=payload) if payload else message(text)
    return run_node(intent_router, None, CONFIG, incoming=incoming, data=shopper_data(intent=intent),
                    faq_answer=faq, node_id="menu")  # fmt: skip


def test_it_offers_the_routes_with_buttons_as_quick_replies():
    offered = run_node(intent_router, None, CONFIG, node_id="menu")
    assert texts(offered) == ["How can I help?"] and offered.wait_for_input
    assert [(b.title, b.payload) for b in offered.replies[0].buttons] == [("Order status", "menu/order"),
                                                                         ("Talk to us", "menu/human")]  # fmt: skip
    assert intent_router.ports(intent_router.Config.model_validate(CONFIG)) == ["order", "human", "returns", "faq", "none"]


def test_buttons_and_typed_intents_take_their_route():
    assert routed(payload="menu/human").next == "human"
    assert routed("order status").next == "order"  # a button's title typed
    result = routed("i want to send this back", intent="returns_refunds")
    assert result.next == "returns" and result.set_vars == {"question": "i want to send this back"}
    assert result.events[0].data == {"intent": "returns_refunds", "route": "returns"}


def test_an_faq_question_is_answered_and_anything_else_leaves_by_none():
    faq = routed("do you ship abroad", faq="We ship everywhere.")
    assert faq.next == "faq" and texts(faq) == ["We ship everywhere."]
    none = routed("blue linen shirt")
    assert none.next == "none" and none.replies == [] and none.set_vars == {"question": "blue linen shirt"}


def test_routes_must_be_distinct_and_not_shadow_built_in_exits():
    assert "route ids" in invalid(intent_router, {"routes": [{"id": "a"}, {"id": "a"}]})
    assert "built-in exit" in invalid(intent_router, {"routes": [{"id": "none"}]})
    assert "in two routes" in invalid(intent_router, {"routes": [{"id": "a", "intents": ["x"]},
                                                                  {"id": "b", "intents": ["x"]}]})  # fmt: skip
