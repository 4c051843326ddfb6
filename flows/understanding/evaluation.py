"""Measure the classifier as a store would use it: train on a few phrases per intent, test on the rest."""

from __future__ import annotations

import csv
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

from flows.understanding import classifier

OOS = "oos"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def read_rows(path: str | Path) -> list[tuple[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "intent"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: the CSV needs the columns text and intent.")
        return [(row["text"] or "", (row["intent"] or "").strip()) for row in reader]


def first_per_intent(rows: list[tuple[str, str]], per_intent: int | None) -> list[tuple[str, str]]:
    seen: Counter = Counter()
    kept = []
    for text, intent in rows:
        if intent and intent != OOS and (per_intent is None or seen[intent] < per_intent):
            seen[intent] += 1
            kept.append((text, intent))
    return kept


def add_typo(text: str, rnd: random.Random) -> str:
    """One random edit: drop, insert, replace, or swap two neighbouring characters."""
    if len(text) < 2:
        return text
    i = rnd.randrange(len(text) - 1)
    ch = rnd.choice(LETTERS)
    return rnd.choice([
        text[:i] + text[i + 1:], text[:i] + ch + text[i:], text[:i] + ch + text[i + 1:],
        text[:i] + text[i + 1] + text[i] + text[i + 2:],
    ])  # fmt: skip


def evaluate(train_rows, test_rows, *, per_intent=None, typos_seed=None, threshold: float) -> dict:
    model = classifier.train(first_per_intent(train_rows, per_intent))
    rnd = random.Random(typos_seed)  # noqa: S311  (reproducible typos, not secrets)
    timings, results = [], []
    for text, truth in test_rows:
        if typos_seed is not None:
            text = add_typo(text, rnd)
        started = time.perf_counter()
        prediction = model.predict(text)
        timings.append((time.perf_counter() - started) * 1000)
        guess, confidence = (prediction.intent, prediction.confidence) if prediction else ("", 0.0)
        results.append((truth, guess, confidence >= threshold))
    return _figures(results, timings)


def _figures(results, timings) -> dict:
    inscope = [r for r in results if r[0] != OOS]
    oos = [r for r in results if r[0] == OOS]
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    for truth, guess, _ in inscope:
        if truth == guess:
            tp[truth] += 1
        else:
            fn[truth] += 1
            fp[guess] += 1
    labels = {truth for truth, _, _ in inscope}
    f1s = [2 * tp[c] / (2 * tp[c] + fp[c] + fn[c]) if tp[c] + fp[c] + fn[c] else 0.0 for c in labels]
    timings = sorted(timings) or [0.0]

    def share(items, keep):
        return round(sum(1 for r in items if keep(r)) / len(items), 4) if items else None

    return {
        "accuracy": share(inscope, lambda r: r[0] == r[1]),
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else None,
        "oos_rejection": share(oos, lambda r: not r[2]),
        "false_rejection": share(inscope, lambda r: not r[2]),
        "accuracy_after_rejection": share(inscope, lambda r: r[0] == r[1] and r[2]),
        "p50_ms": round(timings[len(timings) // 2], 3),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 3),
        "in_scope": len(inscope),
        "off_topic": len(oos),
    }
