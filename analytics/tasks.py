"""Beat: keep the daily rollups current (new and late events, and days that were rolled before they ended)."""

from datetime import date

from celery import shared_task

from analytics import rollups
from tenants.models import Store


@shared_task
def rollup_recent() -> int:
    """Queue a rollup of every (store, day) that has events not rolled yet; returns how many stores."""
    plan, last_event_id = rollups.plan_rollups()
    for store_id, days in plan.items():
        rollup_store_days.delay(store_id, sorted(d.isoformat() for d in days))
    rollups.advance_cursor(last_event_id)
    return len(plan)


@shared_task(acks_late=True)
def rollup_store_days(store_id: int, days: list[str]) -> int:
    """Re-roll these local days of one store (idempotent: a redelivered task does the same again)."""
    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return 0
    return sum(rollups.rollup_day(store, date.fromisoformat(day)) for day in days)
