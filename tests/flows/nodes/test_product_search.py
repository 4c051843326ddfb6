from flows.nodes import product_search
from flows.nodes.base import Incoming
from tests.flows.nodes.helpers import invalid, message, shopper_data, texts
from tests.flows.nodes.shop_fakes import HAT, SHIRT, FakeShop, run_node


def test_without_a_keyword_it_asks_then_searches_what_the_shopper_typed():
    shop = FakeShop(cards=[SHIRT, HAT])
    asked = run_node(product_search, shop, {})
    assert texts(asked) == ["What are you looking for?"] and asked.wait_for_input
    found = run_node(product_search, shop, {"max_price": "50", "in_stock": True}, incoming=message("linen shirt"))
    assert found.next == "found" and found.replies[0].cards == (SHIRT, HAT)
    assert shop.asked[-1] == ("search", "linen shirt", {"collection": "", "min_price": None,
                                                        "max_price": 50, "in_stock": True, "limit": 4})  # fmt: skip
    assert [e.name for e in found.events] == ["product_shown", "product_search"]
    assert found.events[1].data == {"query": "linen shirt", "collection": "", "results": 2}


def test_a_fixed_keyword_template_searches_at_once():
    shop = FakeShop(cards=[SHIRT])
    data = shopper_data(vars={"question": "straw hats"})
    result = run_node(product_search, shop, {"query": "{{ vars.question }}", "text": "For “{{ vars.query }}”:"},
                      data=data)  # fmt: skip
    assert texts(result) == ["For “straw hats”:"] and shop.asked[0][1] == "straw hats"


def test_no_results_leave_by_none_with_the_empty_text():
    result = run_node(product_search, FakeShop(), {"empty_text": "Nothing for {{ vars.query }}."},
                      incoming=message("unicorn saddle"))  # fmt: skip
    assert result.next == "none" and texts(result) == ["Nothing for unicorn saddle."]


def test_browsing_offers_the_collections_as_buttons_and_shows_the_one_picked():
    shop = FakeShop(cards=[HAT], collections=[{"handle": "summer", "title": "Summer"}, {"handle": "hats", "title": "Hats"}])
    offered = run_node(product_search, shop, {"mode": "collection"}, node_id="browse")
    assert [b.title for b in offered.replies[0].buttons] == ["Summer", "Hats"]
    picked = run_node(product_search, shop, {"mode": "collection"}, node_id="browse", node_state=offered.node_state,
                      incoming=Incoming(kind="postback", payload=offered.replies[0].buttons[1].payload))  # fmt: skip
    assert picked.next == "found" and shop.asked[-1][2]["collection"] == "hats"


def test_a_store_without_collections_leaves_by_none():
    assert run_node(product_search, FakeShop(), {"mode": "collection"}).next == "none"


def test_a_fixed_collection_shows_it_without_asking():
    shop = FakeShop(cards=[SHIRT])
    result = run_node(product_search, shop, {"mode": "collection", "collection": "summer"})
    assert result.next == "found" and shop.asked[0][2]["collection"] == "summer"


def test_prices_must_make_sense():
    assert "lowest price is above" in invalid(product_search, {"min_price": 50, "max_price": 10})


def test_without_a_shop_it_reports_a_misconfiguration():
    assert run_node(product_search, None, {}).error
