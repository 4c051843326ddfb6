"""The Celery app. Tasks take ids, never model instances, and re-read through store-scoped look-ups."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "botplatform.settings")

app = Celery("botplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "tenants-purge-expired": {
        "task": "tenants.tasks.purge_expired",
        "schedule": crontab(minute=17),
    },
    "conversations-sweep": {
        "task": "conversations.tasks.sweep_conversations",
        "schedule": 5.0,  # seconds: a lost bot turn is answered within about ten seconds
        "options": {"expires": 5},
    },
    "conversations-proactive-sweep": {
        "task": "conversations.tasks.sweep_proactive",
        "schedule": 15.0,  # seconds: cart-abandonment timers and news for shoppers (order shipped, back in stock)
        "options": {"expires": 15},
    },
    # Queues an incremental sync for each connected store not synced within SYNC_INTERVAL_MINUTES.
    "integrations-sync-due-stores": {
        "task": "integrations.tasks.sync_due_stores",
        "schedule": crontab(minute="*/5"),
    },
    # Rolls up analytics for days with new or late events, and finishes days rolled before they ended.
    "analytics-rollup-recent": {
        "task": "analytics.tasks.rollup_recent",
        "schedule": crontab(minute="*/10"),
    },
    "integrations-sweep-webhook-deliveries": {
        "task": "integrations.tasks.sweep_webhook_deliveries",
        "schedule": crontab(minute="*/5"),
    },
}
