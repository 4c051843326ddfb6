"""Entities on plain data: order numbers, emails, phones, catalog names with typos, sizes, colours, prices."""

import pytest

from flows.understanding.entities import extract

PRODUCTS = [(1, "Blue Denim Jacket"), (2, "Leather Wallet"), (3, "Running Shoes")]
COLLECTIONS = [(7, "Summer Sale"), (8, "Accessories")]


@pytest.mark.parametrize(
    "text",
    ["where is #1042", "order 1042 hasnt arrived", "i ordered 1042 last week", "Order number: #1042",
     "whats up with order no. 1042??", "my purchase #SB-1042 never came", "order#1042"],
)  # fmt: skip
def test_order_numbers_are_found_in_the_shapes_shoppers_write_them(text):
    assert extract(text)["order_number"] == "1042"


def test_a_phone_number_is_not_taken_for_an_order():
    found = extract("call me on +1 (555) 123-4567 about order 1042")
    assert found["phone"] == "+15551234567"
    assert found["order_numbers"] == ["1042"]


def test_prices_and_percentages_are_not_order_numbers():
    assert extract("I paid $120 for it, is there 30% off?")["order_numbers"] == []


def test_an_email_is_found_and_lowercased():
    assert extract("it's Dana.Smith+shop@Example.co.uk thanks")["email"] == "dana.smith+shop@example.co.uk"


@pytest.mark.parametrize(
    ("text", "product_id"),
    [("do you have the lether walet", 2), ("running shoos in size 10", 3), ("BLUE DENIM JACKET", 1)],
)
def test_catalog_names_are_matched_despite_typos(text, product_id):
    assert [p["id"] for p in extract(text, products=PRODUCTS)["products"]] == [product_id]


def test_collections_are_matched_and_unrelated_text_matches_no_product():
    found = extract("anything in the sumer sale?", products=PRODUCTS, collections=COLLECTIONS)
    assert [c["id"] for c in found["collections"]] == [7]
    assert extract("what's the weather", products=PRODUCTS)["products"] == []


def test_sizes_colours_and_price_limits_are_read():
    found = extract("a black or navy jacket in size M under $50")
    assert found["colours"] == ["black", "navy"]
    assert found["sizes"] == ["m"]
    assert found["price_max"] == 50.0 and found["price_min"] is None
    assert extract("shoes over 80")["price_min"] == 80.0


def test_a_lone_letter_is_not_a_size_without_talk_of_sizes():
    assert extract("I need a new wallet")["sizes"] == []
