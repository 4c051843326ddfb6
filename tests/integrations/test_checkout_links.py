"""Cart links per platform: Shopify cart permalinks and discount links, the WordPress plugin's parameters."""

import json
from urllib.parse import parse_qs, urlsplit

from integrations.checkout import CartLine, cart_url
from integrations.models import Connection, Platform

LINES = [CartLine("1011", 2), CartLine("1021", 1)]


def connect(store, platform, shop):
    return Connection.objects.create(store=store, platform=platform, shop=shop,
                                     credentials=json.dumps({"access_token": "x"}))  # fmt: skip


def test_shopify_cart_permalinks_carry_the_variants_and_the_code(alice_store):
    connect(alice_store, Platform.SHOPIFY, "alice.myshopify.com")
    assert cart_url(alice_store, LINES, code="SAVE 10") == "https://alice.myshopify.com/cart/1011:2,1021:1?discount=SAVE+10"
    assert cart_url(alice_store, LINES) == "https://alice.myshopify.com/cart/1011:2,1021:1"
    assert cart_url(alice_store, [], code="WELCOME") == "https://alice.myshopify.com/discount/WELCOME?redirect=%2Fcart"
    assert cart_url(alice_store, []) == ""


def test_woocommerce_links_use_add_to_cart_for_one_item_and_the_plugin_for_more(alice_store):
    connect(alice_store, Platform.WOOCOMMERCE, "https://shop.example/store")
    one = urlsplit(cart_url(alice_store, LINES[:1], code="SAVE10"))
    assert (one.netloc, one.path) == ("shop.example", "/store/cart/")
    assert parse_qs(one.query) == {"add-to-cart": ["1011"], "quantity": ["2"], "shopbot_coupon": ["SAVE10"]}
    more = parse_qs(urlsplit(cart_url(alice_store, LINES)).query)
    assert more == {"shopbot_cart": ["1011:2,1021:1"]}


def test_a_disconnected_store_has_no_link_and_the_demo_links_to_its_storefront(alice_store, bob_store, settings):
    settings.PUBLIC_URL = "https://shopbot.example"
    connection = connect(alice_store, Platform.SHOPIFY, "alice.myshopify.com")
    connection.credentials = ""
    connection.save()
    assert cart_url(alice_store, LINES) == ""
    bob_store.is_demo = True
    bob_store.save()
    assert cart_url(bob_store, LINES, code="X") == "https://shopbot.example/demo/bob/cart/?discount=X"
