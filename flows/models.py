"""Flows: a store's chat flows, each with an editable draft and immutable published versions."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Flow(models.Model):
    """A chat flow. The builder edits ``draft_graph``; publishing freezes it into a new ``FlowVersion``."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="flows")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    # The flow a new conversation starts in (triggers, in their own issue, can start others).
    is_default = models.BooleanField(default=False)
    draft_graph = models.JSONField()
    draft_updated_at = models.DateTimeField(auto_now_add=True)
    # Goes up by one with every change to the draft: a save names the revision it edited, so two people
    # editing at once cannot silently overwrite each other (the stale save is refused with the newer draft).
    draft_revision = models.PositiveIntegerField(default=1)
    draft_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_version = models.ForeignKey(
        "flows.FlowVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["store"], condition=Q(is_default=True), name="one_default_flow_per_store"),
        ]

    def __str__(self):
        return self.name


class FlowVersion(models.Model):
    """A published graph. Never changed after it is made: conversations and analytics point at it."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="+")
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    graph = models.JSONField()
    note = models.CharField(max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["flow", "number"], name="flow_version_number_unique")]

    def __str__(self):
        return f"{self.flow.name} v{self.number}"


from flows.triggers.models import Trigger  # noqa: E402  (Django finds models here)
from flows.understanding.models import FaqEntry, Intent, NluModel  # noqa: E402

__all__ = ["FaqEntry", "Flow", "FlowVersion", "Intent", "NluModel", "Trigger"]
