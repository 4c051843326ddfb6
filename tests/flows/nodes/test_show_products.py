import dataclasses

from flows.nodes import show_products
from flows.nodes.base import Card
from tests.flows.nodes.helpers import context, invalid, texts

SHIRT = Card(product_id="101", title="Linen Shirt", price="40.00", currency="USD", variant_id="1011")


class FakeShop:
    def __init__(self, cards):
        self.cards, self.asked = cards, []

    def product_cards(self, **query):
        self.asked.append(query)
        return self.cards[: query["limit"]]


def run_with(shop, **config):
    ctx = dataclasses.replace(context(), shop=shop)
    return show_products.run(show_products.Config.model_validate(config), ctx)


def test_it_shows_cards_under_a_personalized_message_and_records_what_it_showed():
    shop = FakeShop([SHIRT, dataclasses.replace(SHIRT, product_id="102", title="Straw Hat")])
    result = run_with(shop, text="Picked for you, {{ contact.name }}:", source="collection", collection="summer", limit=1)
    assert texts(result) == ["Picked for you, Ann:"] and result.replies[0].cards == (SHIRT,)
    assert shop.asked == [{"source": "collection", "collection": "summer", "handles": [], "limit": 1}]
    assert result.events[0].name == "product_shown" and result.events[0].data == {"products": ["101"]}


def test_with_nothing_to_show_it_says_so_without_cards():
    result = run_with(FakeShop([]))
    assert texts(result) == ["I couldn't find products to show right now."] and result.next == "default"


def test_without_a_shop_it_reports_a_misconfiguration():
    assert run_with(None).error


def test_a_collection_or_products_must_be_named_for_those_sources():
    assert "Choose the collection" in invalid(show_products, {"source": "collection"})
    assert "Pick at least one product" in invalid(show_products, {"source": "products"})
