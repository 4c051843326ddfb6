"""Understanding free text: ``classify(store, text)`` gives the intent, its confidence, entities, sentiment.

- ``classifier``: hashed character/word n-grams, similarity to the nearest examples plus a softmax model.
- ``serving``: each process keeps loaded models in memory, keyed by the digest of what they were trained on.
- ``entities`` and ``sentiment``: pure functions of the text.
- ``services``: the writes (intents, FAQ entries, default seeding, retraining in Celery).

FAQ entries are trained into the same model as intents, under the label ``faq:<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FAQ_PREFIX = "faq:"


@dataclass(frozen=True)
class Understanding:
    intent: str | None  # None: off-topic, or nothing matched well enough
    confidence: float
    entities: dict = field(default_factory=dict)
    sentiment: dict = field(default_factory=dict)
    faq_id: int | None = None  # set when the best match is an FAQ entry's question

    def as_context(self) -> dict:
        """What a flow reads: ``intent``, ``entities``, ``sentiment`` (plain JSON)."""
        return {"intent": self.intent or "", "entities": self.entities, "sentiment": self.sentiment,
                "intent_confidence": round(self.confidence, 3)}  # fmt: skip


def classify(store, text: str) -> Understanding:
    """Read a shopper's message. Never raises for bad text; a store with no model yet matches nothing."""
    from flows.understanding.serving import understand

    return understand(store, text)
