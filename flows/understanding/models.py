"""A store's intents and FAQ entries, and the classifier trained on them (imported by ``flows.models``)."""

from django.db import models


class Intent(models.Model):
    """Something shoppers mean, learned from the example phrases the store owner types."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="intents")
    name = models.SlugField(max_length=60)
    examples = models.JSONField(default=list)  # list of phrases
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "flows"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="intent_name_unique_in_store")]

    def __str__(self):
        return self.name


class FaqEntry(models.Model):
    """A question, in the ways shoppers ask it, and the answer (``{{ }}`` personalization allowed)."""

    store = models.ForeignKey("tenants.Store", on_delete=models.CASCADE, related_name="faq_entries")
    questions = models.JSONField(default=list)
    answer = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "flows"
        ordering = ["id"]

    def __str__(self):
        return self.questions[0] if self.questions else f"FAQ {self.pk}"


class NluModel(models.Model):
    """The classifier trained on a store's intents and FAQ questions; ``digest`` names its training set."""

    store = models.OneToOneField("tenants.Store", on_delete=models.CASCADE, related_name="nlu_model")
    digest = models.CharField(max_length=64)
    blob = models.BinaryField()
    trained_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "flows"

    def __str__(self):
        return f"NLU model of store {self.store_id}"
