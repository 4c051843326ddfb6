"""The intent classifier: hashed character and word n-grams, TF-IDF, nearest examples.

Chosen by measurement (bench/README.md, ``evaluate_nlu``): with the 5-20 example phrases a store owner
types, similarity to the nearest examples of each intent beats a trained linear model, tolerates typos
through character n-grams, and gives a confidence (a cosine similarity) that rejects off-topic text
without a second model. A trained model is plain arrays (no pickle): it is stored in the database as
bytes and loaded by every process.
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

DIM = 1 << 20  # hashed feature space; collisions are rare at a store's vocabulary size
CHAR_NGRAMS = (2, 3, 4, 5)
WORD_WEIGHT = 1.0  # word n-grams next to character n-grams
MAX_CHARS = 500  # longer messages are cut: the gist is in the first sentences
TOP_K = 2  # an intent's score is the mean of its best matching examples

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
    """Training examples as unit TF-IDF rows (for similarity) and a softmax model over the used n-grams."""

    labels: list[str]  # intent names
    rows: sparse.csc_matrix  # examples x DIM, each row L2-normalized
    row_label: np.ndarray  # label index of each row
    idf: dict[int, float]
    cols: np.ndarray  # sorted hashed n-grams seen in training: the rows of ``weights``
    weights: np.ndarray  # len(cols) x len(labels)
    bias: np.ndarray

    def predict(self, text: str) -> Prediction | None:
        """The most likely intent, or None when the text shares nothing with any example."""
        keys, values = self.vector(text)
        if not len(keys) or not self.labels:
            return None
        logits = self.bias + values @ self.weights[np.searchsorted(self.cols, keys)]
        logits = np.exp(logits - logits.max())
        best = int(logits.argmax())
        sims = np.asarray(self.rows[:, keys] @ values).ravel()
        own = np.sort(sims[self.row_label == best])[::-1][:TOP_K]
        return Prediction(self.labels[best], float(own.mean()), float(logits[best] / logits.sum()))

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        feats = features(text) if self.idf else {}
        keys = [k for k in feats if k in self.idf]
        values = np.array([feats[k] * self.idf[k] for k in keys], dtype=np.float32)
        norm = float(np.linalg.norm(values)) if len(values) else 0.0
        return np.array(keys, dtype=np.int64), (values / norm if norm else values)

    # --- storage: plain arrays, never pickle ---------------------------------------------------

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        idf_keys = np.fromiter(self.idf.keys(), dtype=np.int64, count=len(self.idf))
        idf_values = np.fromiter(self.idf.values(), dtype=np.float32, count=len(self.idf))
        np.savez_compressed(
            buffer, labels=np.array(self.labels, dtype=str), data=self.rows.data, indices=self.rows.indices,
            indptr=self.rows.indptr, row_label=self.row_label, idf_keys=idf_keys, idf_values=idf_values,
            cols=self.cols, weights=self.weights, bias=self.bias,
        )  # fmt: skip
        return buffer.getvalue()

    @classmethod
    def loads(cls, blob: bytes) -> Model:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            rows = sparse.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=(len(z["row_label"]), DIM))
            idf = dict(zip(z["idf_keys"].tolist(), z["idf_values"].tolist(), strict=True))
            labels = [str(x) for x in z["labels"]]
            return cls(labels, rows, z["row_label"], idf, z["cols"], z["weights"], z["bias"])


def train(examples: list[tuple[str, str]]) -> Model:
    """Fit on (text, intent) pairs. Texts that normalize to nothing are skipped."""
    docs = [(features(text), intent) for text, intent in examples]
    docs = [(f, intent) for f, intent in docs if f]
    labels = sorted({intent for _, intent in docs})
    index = {label: i for i, label in enumerate(labels)}
    df: dict[int, int] = {}
    for feats, _ in docs:
        for key in feats:
            df[key] = df.get(key, 0) + 1
    n = len(docs)
    # float32, as stored: a loaded model answers exactly as the one just trained
    idf = {key: float(np.float32(np.log((1 + n) / (1 + count)) + 1.0)) for key, count in df.items()}
    data, indices, indptr = [], [], [0]
    for feats, _ in docs:
        keys = sorted(feats)
        values = np.array([feats[k] * idf[k] for k in keys], dtype=np.float32)
        values /= np.linalg.norm(values)
        data.extend(values.tolist())
        indices.extend(keys)
        indptr.append(len(indices))
    rows = sparse.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int32)),
        shape=(n, DIM),
    )
    row_label = np.array([index[i] for _, i in docs], dtype=np.int32)
    cols = np.unique(rows.indices).astype(np.int64)
    weights, bias = _softmax_regression(rows[:, cols].tocsr(), row_label, len(labels))
    # Column slicing (a message's n-grams) is what serving does: CSC makes it cheap.
    return Model(labels, rows.tocsc(), row_label, idf, cols, weights, bias)


def _softmax_regression(x: sparse.csr_matrix, y: np.ndarray, classes: int, *, steps=400, rate=5.0, l2=1e-4):
    """Multinomial logistic regression by full-batch gradient descent (a store has a few hundred rows)."""
    weights = np.zeros((x.shape[1], classes), dtype=np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    n = x.shape[0]
    if classes < 2 or not n:
        return weights, bias
    xt = x.T.tocsr()
    target = np.zeros((n, classes), dtype=np.float32)
    target[np.arange(n), y] = 1.0
    for _ in range(steps):
        z = x @ weights + bias
        z = np.exp(z - z.max(axis=1, keepdims=True))
        grad = (z / z.sum(axis=1, keepdims=True) - target) / n
        weights -= rate * (xt @ grad + l2 * weights)
        bias -= rate * grad.sum(axis=0)
    return weights, bias
