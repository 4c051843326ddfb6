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
        ]

    def __str__(self):
        return f"{self.name} @ {self.created_at:%Y-%m-%d %H:%M}"
