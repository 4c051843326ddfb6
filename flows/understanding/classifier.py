"""The intent classifier: sentence embeddings and hashed character/word n-grams, two softmax models.

Chosen by measurement (bench/README.md, ``evaluate_nlu``; the weights below by cross-validation on the
training phrases only, ``bench/nlu_tune.py``): with the 5-20 example phrases a store owner types, a
softmax model over all-MiniLM-L6-v2 embeddings (``encoder``) reads meaning that shares no words with the
examples, and a softmax model over TF-IDF character n-grams tolerates typos. Their log-probabilities are
averaged. The confidence is the embedding's cosine similarity to the chosen intent's two nearest example
phrases, which is what off-topic text lacks. A trained model is plain arrays (no pickle): it is stored
in the database as bytes and loaded by every process; the encoder is shared by every store.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse

from flows.understanding import encoder

DIM = 1 << 24  # hashed feature space; collisions are rare at a store's vocabulary size
CHAR_NGRAMS = (2, 3, 4, 5)
WORD_WEIGHT = 1.0  # word n-grams next to character n-grams
MAX_CHARS = 500  # longer messages are cut: the gist is in the first sentences
TOP_K = 2  # an intent's similarity is the mean of its best matching examples
NGRAM_WEIGHT = 0.5  # the n-gram model's share of the averaged log-probabilities (the embedding's: the rest)
VERSION = 2  # 1: n-grams only; 2: embeddings and n-grams. Older stored models are retrained.

_repeats = re.compile(r"(.)\1{2,}")
_digits = re.compile(r"\d+")
_non_word = re.compile(r"[^\w']+")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _digits.sub("0", text)  # "order 1042" and "order 77" mean the same thing
    text = _repeats.sub(r"\1\1", text)  # "sooooo" -> "soo"
    return " ".join(_non_word.sub(" ", text).replace("'", "").split())


def _ngrams(text: str) -> list[str]:
    words = text.split()
    grams = [f"w:{w}" for w in words] + [f"b:{a} {b}" for a, b in pairwise(words)]
    for word in words:
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams


def features(text: str) -> dict[int, float]:
    """Sublinear term counts of the hashed n-grams of ``text``."""
    counts: dict[int, float] = {}
    for gram in _ngrams(normalize(text)):
        key = zlib.crc32(gram.encode()) & (DIM - 1)
        counts[key] = counts.get(key, 0.0) + 1.0
    return {k: 1.0 + np.log(v) for k, v in counts.items()}


@dataclass(frozen=True)
class Prediction:
    intent: str
    confidence: float  # similarity to the intent's nearest examples, 0..1: what off-topic text lacks
    probability: float  # the linear model's share for this intent among the store's intents


@dataclass
class Model:
    """Training examples as unit TF-IDF rows and as embeddings, and a softmax model over each.

    Columns are the sorted hashed n-grams of the training set (``cols``), so a loaded model holds only
    arrays the size of its own vocabulary. A model stored before embeddings (version 1) has no
    ``vectors``: it answers from n-grams alone until it is retrained.
    """

    labels: list[str]  # intent names
    rows: sparse.csc_matrix  # examples x len(cols), each row L2-normalized
    row_label: np.ndarray  # label index of each row
    cols: np.ndarray  # sorted hashed n-grams seen in training
    idf: np.ndarray  # per column
    weights: np.ndarray  # len(cols) x len(labels), float16 (half the memory, the same answers)
    bias: np.ndarray
    vectors: np.ndarray | None = None  # examples x 384 unit embeddings, float16
    vector_weights: np.ndarray | None = None  # 384 x len(labels)
    vector_bias: np.ndarray | None = None

    def predict(self, text: str, *, ngram_weight: float = NGRAM_WEIGHT) -> Prediction | None:
        """The most likely intent, or None when the text shares nothing with any example."""
        columns, values = self.vector(text)
        if not len(columns) or not self.labels:
            return None
        logits = _log_softmax(self.bias + values @ self.weights[columns].astype(np.float32))
        if self.vectors is None:  # a version 1 model: n-grams only
            best = int(logits.argmax())
            sims = np.asarray(self.rows[self.row_label == best][:, columns] @ values).ravel()
        else:
            embedding = encoder.shared().encode_one(text)
            embedded = _log_softmax(self.vector_bias + embedding @ self.vector_weights)
            logits = ngram_weight * logits + (1.0 - ngram_weight) * embedded
            best = int(logits.argmax())
            sims = self.vectors[self.row_label == best] @ embedding.astype(np.float16)
        own = np.sort(sims)[::-1][:TOP_K]  # similarity to the chosen intent's nearest examples
        probability = np.exp(logits - logits.max())
        return Prediction(self.labels[best], float(own.mean()), float(probability[best] / probability.sum()))

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The message as (column indexes, unit TF-IDF values) over the model's vocabulary."""
        feats = features(text) if len(self.cols) else {}
        keys = np.fromiter(feats.keys(), dtype=np.int64, count=len(feats))
        counts = np.fromiter(feats.values(), dtype=np.float32, count=len(feats))
        found = np.searchsorted(self.cols, keys).clip(max=max(len(self.cols) - 1, 0))
        known = self.cols[found] == keys if len(self.cols) else np.zeros(len(keys), dtype=bool)
        columns = found[known]
        values = counts[known] * self.idf[columns]
        norm = float(np.linalg.norm(values)) if len(values) else 0.0
        return columns, (values / norm if norm else values)

    # --- storage: plain arrays, never pickle ---------------------------------------------------

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        embedding = {} if self.vectors is None else {
            "vectors": self.vectors, "vector_weights": self.vector_weights, "vector_bias": self.vector_bias,
        }  # fmt: skip
        np.savez_compressed(
            buffer, labels=np.array(self.labels, dtype=str), data=self.rows.data, indices=self.rows.indices,
            indptr=self.rows.indptr, row_label=self.row_label, cols=self.cols, idf=self.idf,
            weights=self.weights, bias=self.bias, version=np.array(self.version), **embedding,
        )  # fmt: skip
        return buffer.getvalue()

    @property
    def version(self) -> int:
        return 1 if self.vectors is None else VERSION

    @classmethod
    def loads(cls, blob: bytes) -> Model:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            shape = (len(z["row_label"]), len(z["cols"]))
            rows = sparse.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=shape)
            labels = [str(x) for x in z["labels"]]
            embedding = [z[k] if k in z.files else None for k in ("vectors", "vector_weights", "vector_bias")]
            return cls(labels, rows, z["row_label"], z["cols"], z["idf"], z["weights"], z["bias"], *embedding)


def train(examples: list[tuple[str, str]]) -> Model:
    """Fit on (text, intent) pairs. Texts that normalize to nothing are skipped."""
    docs = [(features(text), intent, text) for text, intent in examples]
    docs = [(f, intent, text) for f, intent, text in docs if f]
    labels = sorted({intent for _, intent, _ in docs})
    index = {label: i for i, label in enumerate(labels)}
    cols = np.array(sorted({key for feats, _, _ in docs for key in feats}), dtype=np.int64)
    position = {int(key): i for i, key in enumerate(cols)}
    df = np.zeros(len(cols), dtype=np.float32)
    for feats, _, _ in docs:
        df[[position[k] for k in feats]] += 1
    n = len(docs)
    idf = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)
    data, indices, indptr = [], [], [0]
    for feats, _, _ in docs:
        columns = np.array(sorted(position[k] for k in feats), dtype=np.int32)
        counts = np.array([feats[int(cols[c])] for c in columns], dtype=np.float32)
        values = counts * idf[columns]
        data.append(values / np.linalg.norm(values))
        indices.append(columns)
        indptr.append(indptr[-1] + len(columns))
    rows = sparse.csr_matrix(
        (np.concatenate(data) if data else np.zeros(0, np.float32),
         np.concatenate(indices) if indices else np.zeros(0, np.int32), np.array(indptr, dtype=np.int32)),
        shape=(n, len(cols)),
    )  # fmt: skip
    row_label = np.array([index[i] for _, i, _ in docs], dtype=np.int32)
    weights, bias = _softmax_regression(rows, row_label, len(labels))
    vectors = encoder.shared().encode([text for _, _, text in docs])
    vector_weights, vector_bias = _softmax_regression(vectors, row_label, len(labels), steps=500, rate=20.0)
    # Column slicing (a message's n-grams) is what serving does: CSC makes it cheap.
    return Model(
        labels, rows.tocsc(), row_label, cols, idf, weights.astype(np.float16), bias,
        vectors.astype(np.float16), vector_weights, vector_bias,
    )  # fmt: skip


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


def _softmax_regression(x, y: np.ndarray, classes: int, *, steps=400, rate=5.0, l2=1e-4):
    """Multinomial logistic regression by full-batch gradient descent (a store has a few hundred rows).

    ``x`` is the sparse n-gram matrix or the dense embeddings.
    """
    weights = np.zeros((x.shape[1], classes), dtype=np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    n = x.shape[0]
    if classes < 2 or not n:
        return weights, bias
    xt = x.T.tocsr() if sparse.issparse(x) else np.ascontiguousarray(x.T)
    target = np.zeros((n, classes), dtype=np.float32)
    target[np.arange(n), y] = 1.0
    for _ in range(steps):
        z = x @ weights + bias
        z = np.exp(z - z.max(axis=1, keepdims=True))
        grad = (z / z.sum(axis=1, keepdims=True) - target) / n
        weights -= rate * (xt @ grad + l2 * weights)
        bias -= rate * grad.sum(axis=0)
    return weights, bias
