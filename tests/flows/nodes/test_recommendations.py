from flows.nodes import recommendations
from tests.flows.nodes.helpers import shopper_data, texts
from tests.flows.nodes.shop_fakes import HAT, SHIRT, FakeShop, run_node

CART = {"items": [{"product_id": "555", "variant_id": "5551", "quantity": 1}]}


def test_personal_picks_use_the_cart_and_show_cards():
    shop = FakeShop(cards=[SHIRT, HAT])
    result = run_node(recommendations, shop, {"limit": 1}, data=shopper_data(cart=CART))
    assert result.next == "found" and result.replies[0].cards == (SHIRT,)
    assert shop.asked == [("recommend", "personal", "", ("555",))]
    assert result.events[0].name == "product_shown"


def test_bought_together_starts_from_the_configured_product_or_else_the_cart():
    shop = FakeShop(cards=[HAT])
    data = shopper_data(cart=CART, vars={"product_id": "101"})
    run_node(recommendations, shop, {"kind": "bought_together", "product": "{{ vars.product_id }}"}, data=data)
    run_node(recommendations, shop, {"kind": "similar"}, data=data)
    assert shop.asked == [("recommend", "bought_together", "101", ()), ("recommend", "similar", "555", ())]


def test_with_nothing_to_start_from_or_no_picks_it_leaves_by_empty():
    shop = FakeShop(cards=[])
    result = run_node(recommendations, shop, {"kind": "similar", "empty_text": "Nothing yet."})
    assert result.next == "empty" and texts(result) == ["Nothing yet."] and shop.asked == []
    assert run_node(recommendations, shop, {}).next == "empty"


def test_without_a_shop_it_reports_a_misconfiguration():
    assert run_node(recommendations, None, {}).error
