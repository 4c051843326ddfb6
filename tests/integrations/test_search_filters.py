"""The parser that reads filters out of what a shopper typed."""

from decimal import Decimal

from integrations.search_filters import Filters, parse_query


def test_it_reads_a_maximum_price_and_leaves_the_words():
    parsed = parse_query("sumer dres under 50")
    assert parsed.text == "sumer dres"
    assert parsed.filters == Filters(max_price=Decimal("50"))


def test_it_reads_price_ranges_in_several_spellings():
    assert parse_query("shirt between 20 and 40").filters.min_price == Decimal("20")
    assert parse_query("shirt between 40 and 20").filters.max_price == Decimal("40")
    assert parse_query("hat $10-$25").filters == Filters(min_price=Decimal("10"), max_price=Decimal("25"))
    assert parse_query("coat over 99.50 dollars").filters.min_price == Decimal("99.50")
    assert parse_query("cheaper than €30").filters.max_price == Decimal("30")


def test_it_reads_size_colour_and_stock():
    parsed = parse_query("Red dress size M in stock please")
    assert parsed.text == "dress"
    assert parsed.filters.options == (("size", "m"), ("colour", "red"))
    assert parsed.filters.in_stock


def test_it_reads_the_longest_collection_name_and_ignores_case():
    parsed = parse_query("something from the SUMMER SALE", collections=["Summer", "Summer Sale"])
    assert parsed.filters.collection == "summer sale"
    assert parsed.text == "from"


def test_text_it_does_not_understand_stays_as_words():
    assert parse_query("size").text == "size"
    assert parse_query("under the sea").text == "under sea"
    assert parse_query("").text == ""


def test_filters_from_the_flow_replace_the_parsed_ones_of_the_same_kind():
    parsed = Filters(max_price=Decimal("50"), options=(("size", "m"), ("colour", "red")))
    merged = parsed.merged(Filters(max_price=Decimal("80"), options=(("size", "l"),)))
    assert merged.max_price == Decimal("80")
    assert merged.options == (("colour", "red"), ("size", "l"))
