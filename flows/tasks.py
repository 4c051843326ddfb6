"""Celery tasks for flows. They take ids and re-read; the services do the work."""

from celery import shared_task

from tenants.models import Store


@shared_task(acks_late=True)
def retrain_understanding(store_id: int) -> bool:
    """Retrain a store's intent classifier after its intents or FAQ questions changed."""
    from flows.understanding.services import retrain_store

    store = Store.objects.filter(pk=store_id).first()
    return retrain_store(store) if store is not None else False


@shared_task(acks_late=True)
def seed_understanding(store_id: int) -> None:
    """Give a new store the default intents and FAQ entries."""
    from flows.understanding.services import seed_default_understanding

    store = Store.objects.filter(pk=store_id).first()
    if store is not None:
        seed_default_understanding(store)


@shared_task(acks_late=True)
def install_starter_flows(store_id: int) -> int:
    """Give a new store the starter flows, published (the store assistant greets its chats)."""
    from flows.starters import install_starters

    store = Store.objects.filter(pk=store_id).first()
    return len(install_starters(store)) if store is not None else 0
