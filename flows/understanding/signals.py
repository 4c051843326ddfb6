"""A new store gets default intents and FAQs, and the starter flows (tenants must not import flows, so flows
listens)."""

from django.db import transaction


def store_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from flows.tasks import install_starter_flows, seed_understanding

        store_id = instance.pk
        transaction.on_commit(lambda: seed_understanding.delay(store_id))
        transaction.on_commit(lambda: install_starter_flows.delay(store_id))
