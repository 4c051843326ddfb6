"""Unique discount codes on the shop's platform (the fake Shopify and WooCommerce, through the real client
packages), and a checkout link that carries one, end to end from a shopper's chat."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import Event
from conversations import services
from conversations.turns import run_bot_turn, sweep
from integrations import discounts
from integrations.discounts import DiscountRefused, create_discount_code
from integrations.models import Connection, Platform
from tests.conversations.conftest import Shopper, publish
from tests.flowkit import graph, node
from tests.integrations.conftest import ALICE_SHOP

CART = {"items": [{"product_id": "101", "variant_id": "1011", "quantity": 2},
                  {"product_id": "102", "variant_id": "1021", "quantity": 1}]}  # fmt: skip


@pytest.fixture
def allowed(alice_store):
    alice_store.discount_codes_enabled = True
    alice_store.discount_max_percent = 20
    alice_store.save()
    return alice_store


def test_shopify_creates_a_single_use_percentage_code(allowed, alice_connection, alice_shop):
    code = create_discount_code(allowed, contact_id=1, percent=10, prefix="chat", valid_days=2)
    assert code.startswith("CHAT-") and len(code) == 13
    [row] = alice_shop.discounts.rows
    assert (row["code"], row["percentage"], row["usageLimit"], row["appliesOncePerCustomer"]) == (code, 0.1, 1, True)
    assert row["title"] == "Shopbot chat: 10% off"
    assert [entry["operation"] for entry in alice_shop.log] == ["DiscountCodeBasicCreate"]


def test_a_code_shopify_says_is_taken_is_refused_in_shopifys_words(allowed, alice_connection, alice_shop, monkeypatch):
    monkeypatch.setattr(discounts, "new_code", lambda prefix="": "SAME-CODE")
    create_discount_code(allowed, contact_id=1, percent=10)
    with pytest.raises(DiscountRefused, match=r"Code must be unique\. Please try a different code\."):
        create_discount_code(allowed, contact_id=2, percent=10)
    assert len(alice_shop.discounts.rows) == 1


def test_an_app_without_the_discounts_scope_is_refused(allowed, alice_connection, alice_shop):
    alice_shop.discounts.scope_granted = False
    with pytest.raises(DiscountRefused, match="write_discounts"):
        create_discount_code(allowed, contact_id=1, percent=10)


def test_nothing_is_asked_of_the_platform_when_the_store_does_not_allow_it(alice_store, alice_connection, alice_shop):
    with pytest.raises(DiscountRefused, match="does not let flows create discount codes"):
        create_discount_code(alice_store, contact_id=1, percent=10)
    alice_store.discount_codes_enabled = True
    with pytest.raises(DiscountRefused, match="more than the 15%"):
        create_discount_code(alice_store, contact_id=1, percent=50)
    assert alice_shop.log == [] and alice_shop.discounts.rows == []


def test_one_shopper_gets_a_few_codes_a_day_at_most(allowed, alice_connection, alice_shop):
    for _ in range(discounts.CODES_PER_CONTACT_PER_DAY):
        create_discount_code(allowed, contact_id=7, percent=10)
    with pytest.raises(DiscountRefused, match="most codes a day"):
        create_discount_code(allowed, contact_id=7, percent=10)
    create_discount_code(allowed, contact_id=8, percent=10)  # someone else still can
    assert len(alice_shop.discounts.rows) == discounts.CODES_PER_CONTACT_PER_DAY + 1


def test_a_store_without_a_connected_shop_gets_no_code(allowed):
    with pytest.raises(DiscountRefused, match="no shop connected"):
        create_discount_code(allowed, contact_id=1, percent=10)


def woo_connection(store, woo, site):
    return Connection.objects.create(
        store=store, platform=Platform.WOOCOMMERCE, shop=woo.site_url(site.name),
        credentials=json.dumps({"consumer_key": site.key, "consumer_secret": site.secret}),
    )  # fmt: skip


def test_woocommerce_creates_a_coupon(allowed, woo, alice_site):
    woo_connection(allowed, woo, alice_site)
    code = create_discount_code(allowed, contact_id=1, percent=15, prefix="WC")
    [coupon] = alice_site.coupons.values()
    assert coupon["code"] == code.lower() and code.startswith("WC-")
    assert (coupon["discount_type"], coupon["amount"], coupon["usage_limit"]) == ("percent", "15.00", 1)


def test_a_coupon_woocommerce_already_has_is_refused_in_its_words(allowed, woo, alice_site, monkeypatch):
    woo_connection(allowed, woo, alice_site)
    monkeypatch.setattr(discounts, "new_code", lambda prefix="": "TWICE")
    create_discount_code(allowed, contact_id=1, percent=10)
    with pytest.raises(DiscountRefused, match="The coupon code already exists"):
        create_discount_code(allowed, contact_id=2, percent=10)


# --- from the chat ----------------------------------------------------------------------------------


def checkout_flow():
    return graph(
        [node("link", "checkout_link", discount="unique", percent=10, prefix="CHAT"),
         node("after", "send_message", text="Anything else?"),
         node("sorry", "send_message", text="Ask us for a code any time.")],
        [{"from": "link", "port": "default", "to": "after"}, {"from": "link", "port": "error", "to": "sorry"}],
    )  # fmt: skip


def cart_shopper(store, on_commit):
    contact = services.get_or_create_contact(store)
    shopper = Shopper.__new__(Shopper)
    shopper.on_commit, shopper.sent = on_commit, 0
    with on_commit(execute=True):
        shopper.conversation = services.start_conversation(contact, context={"cart": CART})
    return shopper


def test_a_shopper_gets_their_cart_with_a_fresh_code_from_shopify(allowed, alice_shop_mirror, alice_connection,
                                                                 alice_shop, on_commit):  # fmt: skip
    publish(allowed, checkout_flow())
    shopper = cart_shopper(allowed, on_commit)
    [row] = alice_shop.discounts.rows
    code = row["code"]
    assert shopper.bot_texts() == [
        f"Here's your cart with code {code} applied: https://{ALICE_SHOP}/cart/1011:2,1021:1?discount={code}",
        "Anything else?",
    ]
    assert shopper.refresh().pending_effect == {} and shopper.conversation.flow_state["vars"]["discount_code"] == code
    assert list(Event.objects.filter(store=allowed, name="discount_shown").values_list("data", flat=True)) == [
        {"code": code}
    ]


def test_a_code_the_platform_refuses_still_gives_the_cart_and_the_flow_goes_on(allowed, alice_shop_mirror,
                                                                               alice_connection, alice_shop,
                                                                               on_commit):  # fmt: skip
    alice_shop.discounts.scope_granted = False
    publish(allowed, checkout_flow())
    shopper = cart_shopper(allowed, on_commit)
    assert shopper.bot_texts() == [
        f"I couldn't make a discount code just now, sorry. Your cart is ready here: https://{ALICE_SHOP}/cart/1011:2,1021:1",
        "Ask us for a code any time.",
    ]
    assert not Event.objects.filter(store=allowed, name="discount_shown").exists()


def test_a_read_only_woocommerce_key_gets_no_coupon(allowed, woo, alice_site):
    woo_connection(allowed, woo, alice_site)
    alice_site.readwrite = False
    with pytest.raises(DiscountRefused, match="refused the consumer key"):
        create_discount_code(allowed, contact_id=1, percent=10)
    assert alice_site.coupons == {}


def test_a_second_checkout_in_the_same_chat_reuses_the_code(allowed, alice_shop_mirror, alice_connection,
                                                           alice_shop, on_commit):  # fmt: skip
    flow = graph(
        [node("link", "checkout_link", discount="unique", percent=10),
         node("again", "buttons", text="Again?", buttons=[{"id": "yes", "title": "Yes"}])],
        [{"from": "link", "port": "default", "to": "again"}, {"from": "again", "port": "yes", "to": "link"}],
    )  # fmt: skip
    publish(allowed, flow)
    shopper = cart_shopper(allowed, on_commit)
    [row] = alice_shop.discounts.rows
    assert row["code"] in shopper.say("Yes")[0]
    assert len(alice_shop.discounts.rows) == 1


def test_a_discount_call_no_worker_finished_ends_as_a_refusal(allowed, alice_shop_mirror, alice_connection,
                                                             alice_shop, on_commit):  # fmt: skip
    publish(allowed, checkout_flow())
    contact = services.get_or_create_contact(allowed)
    with on_commit(execute=False):  # the worker that should create the code never runs
        conversation = services.start_conversation(contact, context={"cart": CART})
    with on_commit(execute=False):
        run_bot_turn(conversation.pk)
    conversation.refresh_from_db()
    effect = conversation.pending_effect
    assert effect["kind"] == "discount"
    conversation.pending_effect = {**effect, "attempts": 2}
    conversation.save(update_fields=["pending_effect"])
    with on_commit(execute=True):
        sweep(now=timezone.now() + timedelta(minutes=5))
    texts = list(conversation.messages.order_by("id").values_list("text", flat=True))
    assert texts == [
        f"I couldn't make a discount code just now, sorry. Your cart is ready here: https://{ALICE_SHOP}/cart/1011:2,1021:1",
        "Ask us for a code any time.",
    ]
    assert alice_shop.discounts.rows == []
