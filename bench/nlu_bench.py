"""Intent classification latency and memory with many stores' models loaded in one process.

Trains STORES models (each on the default intents plus 10 examples of each of the 27 bitext intents, a
different 10 per store, and two FAQ entries), stores each as bytes and loads it back as serving does,
then classifies held-out bitext messages and off-topic ones against random stores. Prints the latency
of the classifier alone and of the whole reading of a message (classifier + entities against a
200-name catalog + VADER sentiment), medians and p95/p99, and the memory the shared sentence encoder
and the loaded models take. The floors, in the same run: reading the message's n-grams alone (no model)
and embedding it alone (the shared encoder, no store). On a shared machine the wall-clock tails follow
other processes' load; the whole reading's CPU time is printed beside them.

    .venv/bin/python bench/nlu_bench.py [--stores 50] [--messages 5000]

Needs no database: it measures what runs per message once a process has the models.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.understanding import classifier, encoder, entities, sentiment  # noqa: E402
from flows.understanding.defaults import DEFAULT_FAQS, DEFAULT_INTENTS  # noqa: E402

DATA = ROOT / "flows" / "understanding" / "data"


def rss_mb(field: str = "VmRSS") -> float:
    """The process's resident memory (VmRSS), or its private part (RssAnon) or file-mapped part (RssFile)."""
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(len(ordered) * q))]  # noqa: E731
    return f"p50 {statistics.median(ordered):.3f} ms, p95 {pick(0.95):.3f} ms, p99 {pick(0.99):.3f} ms"


def store_examples(rows, store: int) -> list[tuple[str, str]]:
    by_intent: dict[str, list[str]] = {}
    for text, intent in rows:
        by_intent.setdefault(intent, []).append(text)
    examples = [(t, name) for name, texts in DEFAULT_INTENTS.items() for t in texts]
    for intent, texts in by_intent.items():
        start = (store * 10) % max(1, len(texts) - 10)
        examples += [(t, intent) for t in texts[start : start + 10]]
    examples += [(q, f"faq:{i}") for i, faq in enumerate(DEFAULT_FAQS) for q in faq["questions"]]
    return examples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--messages", type=int, default=5000)
    args = parser.parse_args()
    with open(DATA / "bitext_customer_support_train.csv", newline="") as handle:
        rows = [(r["text"], r["intent"]) for r in csv.DictReader(handle)]
    with open(DATA / "offtopic.csv", newline="") as handle:
        offtopic = [r["text"] for r in csv.DictReader(handle)]
    catalog = [(i, f"{c} {p}") for i, (c, p) in enumerate(
        (c, p) for c in ["Blue", "Black", "Leather", "Linen", "Wool", "Canvas", "Silk", "Denim", "Suede", "Cotton"]
        for p in ["Jacket", "Wallet", "Sneakers", "Backpack", "Scarf", "Belt", "Hat", "Shirt", "Dress", "Socks",
                  "Gloves", "Boots", "Tote", "Watch", "Hoodie", "Skirt", "Coat", "Sandals", "Cap", "Jeans"]
    )]  # fmt: skip
    print(f"stores: {args.stores}, examples per store: {len(store_examples(rows, 0))}, catalog names: {len(catalog)}")

    before = {field: rss_mb(field) for field in ("VmRSS", "RssAnon", "RssFile")}
    started = time.perf_counter()
    encoder.shared().encode_one("warm up")
    built = time.perf_counter() - started
    for text, _ in rows:  # every word piece the data uses, mapped in
        encoder.shared().encode_one(text)
    grown = {field: rss_mb(field) - mb for field, mb in before.items()}
    print(f"sentence encoder: built in {built:.2f} s; process RSS +{grown['VmRSS']:.0f} MB: private "
          f"+{grown['RssAnon']:.0f} MB, mapped from files (shared between processes) +{grown['RssFile']:.0f} MB")
    started = time.perf_counter()
    blobs = [classifier.train(store_examples(rows, s)).dumps() for s in range(args.stores)]
    train_s = (time.perf_counter() - started) / args.stores
    stored_kb = statistics.mean(map(len, blobs)) / 1024
    print(f"training: {train_s * 1000:.0f} ms per store (Celery), stored model {stored_kb:.0f} KB")

    sentiment.sentiment("warm up")
    rss_before = rss_mb()
    tracemalloc.start()
    models = [classifier.Model.loads(blob) for blob in blobs]
    traced, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = rss_mb()
    traced_mb = traced / 1024 / 1024
    print(f"memory: {traced_mb / args.stores:.2f} MB per loaded model (traced), {traced_mb:.1f} MB for {args.stores}; "
          f"process RSS {rss_before:.0f} -> {rss_after:.0f} MB")  # fmt: skip

    rnd = random.Random(1)
    seen: Counter = Counter()
    heldout = []
    for text, intent in rows:
        seen[intent] += 1
        if seen[intent] > 40:  # past every store's training slice
            heldout.append(text)
    messages = [rnd.choice(heldout) if rnd.random() < 0.8 else rnd.choice(offtopic) for _ in range(args.messages)]
    picks = [rnd.randrange(args.stores) for _ in messages]

    floor, embedding, model_only, whole, whole_cpu = [], [], [], [], []
    for text, store in zip(messages, picks, strict=True):
        t0 = time.perf_counter()
        classifier.features(text)
        t1 = time.perf_counter()
        encoder.shared().encode_one(text)
        t2 = time.perf_counter()
        models[store].predict(text)
        t3 = time.perf_counter()
        c3 = time.thread_time()
        models[store].predict(text)
        entities.extract(text, products=catalog)
        sentiment.sentiment(text)
        whole_cpu.append((time.thread_time() - c3) * 1000)
        t4 = time.perf_counter()
        floor.append((t1 - t0) * 1000)
        embedding.append((t2 - t1) * 1000)
        model_only.append((t3 - t2) * 1000)
        whole.append((t4 - t3) * 1000)
    print(f"floor (n-grams of the message, no model): {percentiles(floor)}")
    print(f"floor (embedding of the message, no store): {percentiles(embedding)}")
    print(f"classifier ({args.stores} stores loaded): {percentiles(model_only)}")
    print(f"whole reading (classifier + entities + sentiment): {percentiles(whole)}")
    print(f"whole reading, CPU time of this thread (what other processes' load does not add): {percentiles(whole_cpu)}")
    ratio = statistics.median(model_only) / statistics.median(embedding)
    p99 = sorted(whole)[int(len(whole) * 0.99)]
    print(f"ratio: the classifier's median is {ratio:.2f}x the embedding alone; "
          f"the whole reading's p99 is {p99:.2f} ms (target: under 10 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
