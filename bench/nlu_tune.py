"""How the classifier's settings were chosen: cross-validation on the training phrases only, never the test set.

Takes the first PER_INTENT phrases per intent of the bitext set (what ``evaluate_nlu --per-intent 10``
trains on), splits them into five folds (each holds out two phrases per intent), trains on four and
reads the fifth, clean and with one random typo, for several weights of the n-gram model in the
averaged log-probabilities (``classifier.NGRAM_WEIGHT``; the embedding model has the rest). Off-topic
text is ``data/offtopic_tuning.csv``, written for tuning and not part of any test set. Prints accuracy,
and the share of in-scope phrases and of off-topic messages below a few confidence thresholds.

    .venv/bin/python bench/nlu_tune.py [--per-intent 10]

Needs no database.
"""

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.understanding import classifier  # noqa: E402
from flows.understanding.evaluation import add_typo, first_per_intent, read_rows  # noqa: E402

DATA = ROOT / "flows" / "understanding" / "data"
FOLDS = 5
WEIGHTS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0)
THRESHOLDS = (0.25, 0.3, 0.35, 0.4)


def folds(rows: list[tuple[str, str]]):
    """(train, held-out) pairs: fold k holds out every intent's phrases whose position is k modulo FOLDS."""
    position, seen = [], {}
    for _, intent in rows:
        position.append(seen.get(intent, 0))
        seen[intent] = position[-1] + 1
    for k in range(FOLDS):
        yield ([r for r, p in zip(rows, position, strict=True) if p % FOLDS != k],
               [r for r, p in zip(rows, position, strict=True) if p % FOLDS == k])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-intent", type=int, default=10)
    args = parser.parse_args()
    rows = first_per_intent(read_rows(DATA / "bitext_customer_support_train.csv"), args.per_intent)
    offtopic = [text for text, _ in read_rows(DATA / "offtopic_tuning.csv")]
    rnd = random.Random(7)
    results = {w: {"clean": [], "typo": [], "oos": []} for w in WEIGHTS}
    for train, heldout in folds(rows):
        model = classifier.train(train)
        typos = [(add_typo(text, rnd), intent) for text, intent in heldout]
        for weight in WEIGHTS:
            for kind, items in (("clean", heldout), ("typo", typos), ("oos", [(t, "oos") for t in offtopic])):
                for text, truth in items:
                    p = model.predict(text, ngram_weight=weight)
                    results[weight][kind].append((truth, p.intent if p else "", p.confidence if p else 0.0))
    print(f"{len(rows)} training phrases, {FOLDS} folds; {len(offtopic)} off-topic messages (offtopic_tuning.csv)")
    for weight, r in results.items():
        accuracy = {k: sum(t == g for t, g, _ in r[k]) / len(r[k]) for k in ("clean", "typo")}
        below = []
        for threshold in THRESHOLDS:
            inscope = sum(c < threshold for _, _, c in r["clean"]) / len(r["clean"])
            oos = sum(c < threshold for _, _, c in r["oos"]) / len(r["oos"])
            below.append(f"t={threshold}: in-scope {inscope:.3f} off-topic {oos:.3f}")
        print(f"n-gram weight {weight}: accuracy {accuracy['clean']:.4f}, with a typo {accuracy['typo']:.4f}; "
              f"below threshold: {'; '.join(below)}")  # fmt: skip


if __name__ == "__main__":
    main()
