from flows.nodes import checkout_link
from flows.nodes.base import CreateDiscount
from tests.flows.nodes.helpers import invalid, shopper_data, texts
from tests.flows.nodes.shop_fakes import FakeShop, run_node

VARIANTS = {"1011": {"variant_id": "1011", "product_id": "101", "title": "Linen Shirt", "price": "40.00",
                     "in_stock": True}}  # fmt: skip
CART = {"items": [{"product_id": "101", "variant_id": "1011", "quantity": 2}]}


def cart_data(**more):
    return shopper_data(cart=CART, **more)


def test_the_cart_becomes_a_link_with_the_owners_code():
    shop = FakeShop(variants=VARIANTS)
    result = run_node(checkout_link, shop, {"discount": "code", "code": "SUMMER10"}, data=cart_data())
    assert texts(result) == ["Here's your cart with code SUMMER10 applied: https://shop.example/cart/1011:2?discount=SUMMER10"]
    assert result.next == "default" and result.set_vars["discount_code"] == "SUMMER10"
    assert [(e.name, dict(e.data)) for e in result.events] == [("checkout_link_shown", {"items": 2}),
                                                               ("discount_shown", {"code": "SUMMER10"})]  # fmt: skip


def test_a_deleted_product_is_left_out_and_the_shopper_told():
    cart = {"items": [*CART["items"], {"product_id": "999", "variant_id": "9991", "quantity": 1}]}
    result = run_node(checkout_link, FakeShop(variants=VARIANTS), {}, data=shopper_data(cart=cart))
    assert texts(result)[0] == "1 item in your cart is no longer available, so I left it out."
    assert texts(result)[1] == "Here's your cart, ready to check out: https://shop.example/cart/1011:2"


def test_a_cart_with_nothing_left_to_sell_leaves_by_empty():
    cart = {"items": [{"product_id": "999", "variant_id": "9991", "quantity": 1}]}
    result = run_node(checkout_link, FakeShop(variants=VARIANTS), {}, data=shopper_data(cart=cart))
    assert result.next == "empty" and texts(result) == [checkout_link.Config().empty_text]


def test_a_unique_code_is_asked_of_the_platform_when_the_store_allows_it():
    shop = FakeShop(variants=VARIANTS, policy={"unique_codes": True, "max_percent": 15})
    config = {"discount": "unique", "percent": 10, "prefix": "CHAT"}
    asked = run_node(checkout_link, shop, config, data=cart_data())
    assert asked.effect == CreateDiscount(percent=10, prefix="CHAT", valid_days=7) and asked.replies == []
    done = run_node(checkout_link, shop, config, data=cart_data(), node_state=asked.node_state,
                    effect_result={"ok": True, "code": "CHAT-7KQ2MX4P", "error": ""})  # fmt: skip
    assert done.next == "default" and "CHAT-7KQ2MX4P" in texts(done)[0]
    assert done.events[-1].data == {"code": "CHAT-7KQ2MX4P"}


def test_a_code_the_platform_refuses_still_gives_the_link_and_leaves_by_error():
    shop = FakeShop(variants=VARIANTS, policy={"unique_codes": True, "max_percent": 15})
    config = {"discount": "unique", "percent": 10}
    asked = run_node(checkout_link, shop, config, data=cart_data())
    refused = run_node(checkout_link, shop, config, data=cart_data(), node_state=asked.node_state,
                       effect_result={"ok": False, "code": "", "error": "Code must be unique."})  # fmt: skip
    assert refused.next == "error"
    assert texts(refused) == ["I couldn't make a discount code just now, sorry. Your cart is ready here: "
                              "https://shop.example/cart/1011:2"]  # fmt: skip
    assert "discount_shown" not in [e.name for e in refused.events]


def test_a_code_already_given_in_this_chat_is_reused():
    shop = FakeShop(variants=VARIANTS, policy={"unique_codes": True, "max_percent": 15})
    result = run_node(checkout_link, shop, {"discount": "unique"}, data=cart_data(vars={"discount_code": "OLD-1"}))
    assert result.effect is None and "OLD-1" in texts(result)[0]


def test_a_store_that_does_not_allow_codes_gets_the_typed_one_or_none():
    shop = FakeShop(variants=VARIANTS)
    typed = run_node(checkout_link, shop, {"discount": "unique", "code": "BACKUP5"}, data=cart_data())
    assert typed.effect is None and "BACKUP5" in texts(typed)[0]
    plain = run_node(checkout_link, shop, {"discount": "unique"}, data=cart_data())
    assert plain.next == "default" and texts(plain) == ["Here's your cart, ready to check out: https://shop.example/cart/1011:2"]
    over = run_node(checkout_link, FakeShop(variants=VARIANTS, policy={"unique_codes": True, "max_percent": 5}),
                    {"discount": "unique", "percent": 10}, data=cart_data())  # fmt: skip
    assert over.effect is None


def test_variants_chosen_in_the_chat_or_fixed_in_the_node():
    shop = FakeShop(variants=VARIANTS)
    chosen = run_node(checkout_link, shop, {"items": "variable"}, data=shopper_data(vars={"chosen": ["1011"]}))
    assert texts(chosen)[-1].endswith("/cart/1011:1")
    fixed = run_node(checkout_link, shop, {"items": "fixed", "variants": [{"variant_id": "1011", "quantity": 3}]})
    assert texts(fixed)[-1].endswith("/cart/1011:3")


def test_a_code_only_link_without_a_code_apologises():
    result = run_node(checkout_link, FakeShop(), {"items": "none", "discount": "unique"})
    assert result.next == "error" and texts(result) == [checkout_link.NO_CODE_TEXT]


def test_configs_must_be_complete():
    assert "Type the discount code" in invalid(checkout_link, {"discount": "code"})
    assert "at least one variant" in invalid(checkout_link, {"items": "fixed"})
    assert "needs a discount code" in invalid(checkout_link, {"items": "none"})
    assert "code" in invalid(checkout_link, {"discount": "code", "code": "no spaces"})


def test_without_a_shop_it_reports_a_misconfiguration():
    assert run_node(checkout_link, None, {}).error
