"""The classifier on plain data: few examples, typos, off-topic text, bad input, storage as bytes."""

import pytest

from flows.understanding import classifier
from flows.understanding.defaults import DEFAULT_INTENTS

THRESHOLD = 0.3  # a new store's default (tenants.Store.intent_threshold)


@pytest.fixture(scope="module")
def model():
    return classifier.train([(text, name) for name, texts in DEFAULT_INTENTS.items() for text in texts])


def understood(model, text):
    prediction = model.predict(text)
    return prediction.intent if prediction and prediction.confidence >= THRESHOLD else None


@pytest.mark.parametrize(
    ("text", "intent"),
    [("wheres my stuff??", "track_order"), ("i want my money back", "returns_refunds"),
     ("do u ship to canada", "shipping"), ("can i pay wiht paypal", "payment_methods"),
     ("i wanna talk to a real persn", "talk_to_human"), ("the item arived broken", "complaint"),
     ("got any promo codes", "discounts"), ("WHERE IS MY ORDER #1042", "track_order")],
)  # fmt: skip
def test_it_understands_casual_and_misspelt_shopper_messages(model, text, intent):
    assert understood(model, text) == intent


@pytest.mark.parametrize("text", ["what's the weather like today", "tell me a joke", "who won the football game"])
def test_off_topic_messages_fall_below_the_threshold(model, text):
    assert understood(model, text) is None


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "x" * 10_000, "¿Dónde está mi pedido?", "\u200b", "!!!???"])
def test_bad_input_is_understood_as_nothing_and_never_raises(model, text):
    assert understood(model, text) is None


def test_a_store_with_one_intent_and_one_example_still_answers():
    model = classifier.train([("where is my order", "track_order")])
    assert model.predict("where is my order??").intent == "track_order"
    assert model.predict("tell me a joke") is None or model.predict("tell me a joke").confidence < THRESHOLD


def test_a_store_with_no_examples_matches_nothing():
    assert classifier.train([]).predict("where is my order") is None


def test_a_model_survives_the_trip_through_bytes_without_pickle(model):
    loaded = classifier.Model.loads(model.dumps())
    for text in ["wheres my stuff", "any discount", "tell me a joke"]:
        assert loaded.predict(text) == model.predict(text)
