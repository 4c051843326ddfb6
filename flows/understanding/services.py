"""Every write to a store's intents and FAQ entries; retraining is enqueued after commit."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from flows.understanding import FAQ_PREFIX, classifier
from flows.understanding.defaults import DEFAULT_FAQS, DEFAULT_INTENTS
from flows.understanding.models import FaqEntry, Intent, NluModel

MAX_PHRASES = 200
MAX_PHRASE_CHARS = 300


class InvalidPhrases(ValueError):
    pass


def clean_phrases(phrases, *, what: str) -> list[str]:
    """Trimmed, de-duplicated phrases; a clear error for none, too many or too long."""
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise InvalidPhrases(f"Give the {what} as a list of text phrases.")
    seen, cleaned = set(), []
    for phrase in (" ".join(p.split()) for p in phrases):
        if phrase and phrase.lower() not in seen:
            seen.add(phrase.lower())
            cleaned.append(phrase)
    if not cleaned:
        raise InvalidPhrases(f"Give at least one {what[:-1]}.")
    if len(cleaned) > MAX_PHRASES:
        raise InvalidPhrases(f"At most {MAX_PHRASES} {what}.")
    if any(len(p) > MAX_PHRASE_CHARS for p in cleaned):
        raise InvalidPhrases(f"Each of the {what} must be at most {MAX_PHRASE_CHARS} characters.")
    return cleaned


def _retrain_on_commit(store) -> None:
    from flows.tasks import retrain_understanding

    transaction.on_commit(lambda: retrain_understanding.delay(store.pk))


@transaction.atomic
def create_intent(store, *, name: str, examples: list[str]) -> Intent:
    intent = Intent.objects.create(store=store, name=name, examples=clean_phrases(examples, what="examples"))
    _retrain_on_commit(store)
    return intent


@transaction.atomic
def update_intent(intent: Intent, *, name: str | None = None, examples: list[str] | None = None) -> Intent:
    if name is not None:
        intent.name = name
    if examples is not None:
        intent.examples = clean_phrases(examples, what="examples")
    intent.save()
    _retrain_on_commit(intent.store)
    return intent


@transaction.atomic
def delete_intent(intent: Intent) -> None:
    store = intent.store
    intent.delete()
    _retrain_on_commit(store)


@transaction.atomic
def create_faq_entry(store, *, questions: list[str], answer: str) -> FaqEntry:
    entry = FaqEntry.objects.create(store=store, questions=clean_phrases(questions, what="questions"), answer=answer)
    _retrain_on_commit(store)
    return entry


@transaction.atomic
def update_faq_entry(entry: FaqEntry, *, questions: list[str] | None = None, answer: str | None = None) -> FaqEntry:
    if questions is not None:
        entry.questions = clean_phrases(questions, what="questions")
    if answer is not None:
        entry.answer = answer
    entry.save()
    _retrain_on_commit(entry.store)
    return entry


@transaction.atomic
def delete_faq_entry(entry: FaqEntry) -> None:
    store = entry.store
    entry.delete()
    _retrain_on_commit(store)


@transaction.atomic
def seed_default_understanding(store) -> None:
    """Give a new store the default intents and FAQ entries (once: a store with any keeps its own)."""
    if Intent.objects.filter(store=store).exists() or FaqEntry.objects.filter(store=store).exists():
        return
    Intent.objects.bulk_create(Intent(store=store, name=n, examples=e) for n, e in DEFAULT_INTENTS.items())
    FaqEntry.objects.bulk_create(
        FaqEntry(store=store, questions=f["questions"], answer=f["answer"])
        for f in DEFAULT_FAQS
    )
    _retrain_on_commit(store)


def training_examples(store) -> list[tuple[str, str]]:
    examples = [(text, i.name) for i in Intent.objects.filter(store=store) for text in i.examples]
    examples += [(q, f"{FAQ_PREFIX}{f.pk}") for f in FaqEntry.objects.filter(store=store) for q in f.questions]
    return examples


def retrain_store(store) -> bool:
    """Train the store's classifier and store it, unless the stored one was trained on the same examples.

    Runs in Celery (never on the request path). Returns whether a new model was stored.
    """
    examples = training_examples(store)
    # The classifier's version is part of the digest: a model an older classifier trained is retrained.
    digest = hashlib.sha256(json.dumps([classifier.VERSION, sorted(examples)]).encode()).hexdigest()
    if NluModel.objects.filter(store=store, digest=digest).exists():
        return False
    blob = classifier.train(examples).dumps()
    NluModel.objects.update_or_create(store=store, defaults={"digest": digest, "blob": blob})
    return True


def set_intent_threshold(store, threshold: float) -> None:
    """Below this confidence a message counts as not understood (0..1)."""
    if not 0.0 <= threshold <= 1.0:
        raise InvalidPhrases("The threshold must be between 0 and 1.")
    store.intent_threshold = threshold
    store.save(update_fields=["intent_threshold"])
