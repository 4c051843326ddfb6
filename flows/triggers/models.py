"""A flow's triggers: when the flow starts by itself (proactively) for a shopper."""

from django.db import models


class Trigger(models.Model):
    """Start ``flow`` when a signal matches ``kind`` + ``config``; the highest ``priority`` wins.

    Written only through ``flows.triggers.services.set_flow_triggers`` (which validates the spec).
    Caps count per shopper: at most ``cap_per_day`` times in any 24 hours and ``cap_per_shopper`` in all.
    """

    class Display(models.TextChoices):
        TEASER = "teaser", "A bubble by the chat button"
        OPEN = "open", "Open the chat"

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    flow = models.ForeignKey("flows.Flow", on_delete=models.CASCADE, related_name="triggers")
    kind = models.CharField(max_length=30)
    config = models.JSONField(default=dict, blank=True)
    priority = models.IntegerField(default=0)
    cap_per_day = models.PositiveSmallIntegerField(default=1)
    cap_per_shopper = models.PositiveSmallIntegerField(null=True, blank=True)
    display = models.CharField(max_length=10, choices=Display.choices, default=Display.TEASER)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "id"]
        indexes = [models.Index(fields=["store", "kind", "enabled"])]

    def __str__(self):
        return f"{self.kind} -> {self.flow_id}"

    def as_spec(self) -> dict:
        return {
            "id": self.pk, "kind": self.kind, "config": dict(self.config), "priority": self.priority,
            "cap_per_day": self.cap_per_day, "cap_per_shopper": self.cap_per_shopper, "display": self.display,
            "enabled": self.enabled,
        }  # fmt: skip
