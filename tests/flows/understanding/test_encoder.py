"""The sentence encoder without torch gives all-MiniLM-L6-v2's vectors.

``minilm_reference.json`` holds vectors computed once with sentence-transformers and torch
(``bench/nlu_embedding_probe.py --write-fixture``, in a scratch venv): the model as its authors run it.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from flows.understanding import encoder

REFERENCE = json.loads((Path(__file__).parent / "minilm_reference.json").read_text())
TEXTS, VECTORS = REFERENCE["texts"], np.array(REFERENCE["vectors"], dtype=np.float32)


@pytest.fixture(scope="module")
def exact():
    return encoder.Encoder(quantize=False)


def test_the_float32_encoder_equals_the_torch_model(exact):
    vectors = exact.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(vectors, VECTORS, atol=2e-5)


def test_the_int8_encoder_serving_uses_stays_close_to_the_torch_model():
    vectors = encoder.shared().encode(TEXTS)
    cosines = (vectors * VECTORS).sum(axis=1)
    assert cosines.min() > 0.97, cosines
    # Close enough to keep meaning apart: each text is still nearest its own reference vector.
    assert ((vectors @ VECTORS.T).argmax(axis=1) == np.arange(len(TEXTS))).all()


def test_one_message_and_a_list_give_the_same_vectors():
    model = encoder.shared()
    assert np.array_equal(np.stack([model.encode_one(t) for t in TEXTS]), model.encode(TEXTS))


def test_long_messages_are_cut_to_the_first_word_pieces(exact):
    long = TEXTS[-1]
    assert len(exact.tokenizer.encode(long).ids) == encoder.MAX_TOKENS
    np.testing.assert_allclose(exact.encode_one(long + " and more words " * 500), exact.encode_one(long), atol=1e-6)


def test_every_process_shares_one_encoder_and_the_weights_stay_mapped_from_the_package():
    model = encoder.shared()
    assert encoder.shared() is model
    assert isinstance(model.words.base, np.memmap) or isinstance(model.words, np.memmap)
    assert not model.words.flags.writeable
