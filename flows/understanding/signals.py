"""A new store gets default intents and FAQs (tenants must not import flows, so flows listens)."""

from django.db import transaction


def store_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from flows.tasks import seed_understanding

        store_id = instance.pk
        transaction.on_commit(lambda: seed_understanding.delay(store_id))
