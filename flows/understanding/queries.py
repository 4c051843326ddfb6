"""Store-scoped reads of intents and FAQ entries; another store's id answers 404 like a missing one."""

from django.shortcuts import get_object_or_404

from flows.understanding.models import FaqEntry, Intent


def access_intent(store, intent_id) -> Intent:
    return get_object_or_404(Intent.objects.filter(store=store), pk=intent_id)


def access_faq_entry(store, faq_id) -> FaqEntry:
    return get_object_or_404(FaqEntry.objects.filter(store=store), pk=faq_id)


def intents_of(store) -> list[Intent]:
    return list(Intent.objects.filter(store=store))


def faq_entries_of(store) -> list[FaqEntry]:
    return list(FaqEntry.objects.filter(store=store))
