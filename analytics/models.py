"""Analytics events: an append-only log that rollups, funnels and A/B reports read."""

from django.db import models


class Event(models.Model):
    """Something that happened in a chat. Rows are only ever inserted (``analytics.services.record_events``).

    ``conversation_id`` and ``contact_id`` are plain ids, not foreign keys: the log outlives nothing it
    points to, and the privacy eraser removes a shopper's events by contact id.
    """

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    conversation_id = models.BigIntegerField(null=True, blank=True)
    contact_id = models.BigIntegerField(null=True, blank=True)
    flow_id = models.BigIntegerField(null=True, blank=True)
    flow_version_id = models.BigIntegerField(null=True, blank=True)
    node_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["store", "name", "created_at"]),
            models.Index(fields=["store", "flow_version_id", "node_id"]),
            models.Index(fields=["store", "contact_id"]),
            models.Index(fields=["store", "conversation_id"]),  # a conversation's history (rollups, revenue)
            models.Index(fields=["store", "flow_id", "name", "created_at"]),  # funnels straight from the log
        ]

    def __str__(self):
        return f"{self.name} @ {self.created_at:%Y-%m-%d %H:%M}"


class DailyFact(models.Model):
    """The daily rollup: one row per (store-local day, metric, key, flow, subject).

    A row says "on this day, this subject (a conversation or a contact) counted for this metric", so the
    rows of one day are that day's *set*, and a count over a range is ``COUNT(DISTINCT subject)`` over the
    days' rows: unique shoppers are never summed across days. ``value`` carries a number where the metric
    has one (a rating, seconds to first response, the last event id of a funnel step). Written only by
    ``analytics.rollups.rollup_day``, which replaces a whole day at once, so re-rolling a day is idempotent.
    """

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    metric = models.CharField(max_length=30)
    key = models.CharField(max_length=80, blank=True)
    flow_id = models.BigIntegerField(default=0)  # 0: not about one flow
    subject = models.BigIntegerField()
    value = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "metric", "day", "key", "flow_id", "subject"], name="daily_fact_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.metric}:{self.key} {self.subject}"


class RolledDay(models.Model):
    """A store-local day whose facts are in ``DailyFact``, and when they were computed."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    rolled_at = models.DateTimeField()
    # The day's own distinct counts, so a chart of days needs no scan of the facts. Shoppers are distinct
    # within the day only; a conversation starts once, so conversations may be summed across days.
    conversations = models.PositiveIntegerField(default=0)
    shoppers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="rolled_day_unique")]

    def __str__(self):
        return f"{self.store_id} {self.day}"


class RollupCursor(models.Model):
    """How far the beat task has read the event log (by id): events after it may be late for a rolled day."""

    name = models.CharField(max_length=30, unique=True)
    last_event_id = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} @ {self.last_event_id}"
