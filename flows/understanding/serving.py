"""Serving: the trained model of each store, loaded once per process and kept while its digest holds.

No training happens here: a store whose model is missing or stale keeps answering with what it has
(or nothing) while Celery retrains.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from flows.understanding import FAQ_PREFIX, Understanding, classifier, entities, sentiment
from flows.understanding.classifier import Model
from flows.understanding.models import NluModel
from integrations.queries import catalog_names

logger = logging.getLogger(__name__)

CACHE_SIZE = 500  # stores whose models a process keeps; each is about 1 MB (the encoder is shared)
_cache: OrderedDict[int, tuple[str, Model]] = OrderedDict()
_lock = threading.Lock()


def model_for(store) -> Model | None:
    """The store's current model: one small query for the digest, the blob only when it changed."""
    digest = NluModel.objects.filter(store=store).values_list("digest", flat=True).first()
    if digest is None:
        return None
    with _lock:
        hit = _cache.get(store.pk)
        if hit and hit[0] == digest:
            _cache.move_to_end(store.pk)
            return hit[1]
    row = NluModel.objects.filter(store=store).values_list("digest", "blob").first()
    if row is None:
        return None
    model = Model.loads(bytes(row[1]))
    if model.version < classifier.VERSION:  # trained before this release: it answers until the new one is stored
        from flows.tasks import retrain_understanding

        retrain_understanding.delay(store.pk)
    with _lock:
        _cache[store.pk] = (row[0], model)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return model


def understand(store, text: str) -> Understanding:
    text = (text or "").strip()
    products, collections = catalog_names(store)
    found = entities.extract(text, products=products, collections=collections)
    mood = sentiment.sentiment(text)
    model = model_for(store) if text else None
    prediction = model.predict(text) if model else None
    if prediction is None or prediction.confidence < store.intent_threshold:
        return Understanding(None, prediction.confidence if prediction else 0.0, found, mood)
    if prediction.intent.startswith(FAQ_PREFIX):
        faq_id = int(prediction.intent.removeprefix(FAQ_PREFIX))
        return Understanding(None, prediction.confidence, found, mood, faq_id=faq_id)
    return Understanding(prediction.intent, prediction.confidence, found, mood)


def read_message(store, text: str) -> tuple[dict, str]:
    """The context a flow reads about a shopper's message, and the FAQ answer it matched ("" when none).

    A broken model or catalog never costs the shopper an answer: the message is then simply not understood.
    """
    from flows.understanding.models import FaqEntry

    try:
        understood = understand(store, text)
    except Exception:
        logger.exception("Could not read a message for store %s", store.pk)
        return Understanding(None, 0.0).as_context(), ""
    answer = ""
    if understood.faq_id is not None:
        answer = FaqEntry.objects.filter(store=store, pk=understood.faq_id).values_list("answer", flat=True).first()
    return understood.as_context(), answer or ""
