"""The REST API for a store's intents and FAQ entries (owners and admins change them; agents read)."""

from django.db import IntegrityError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from flows.models import FaqEntry, Intent
from flows.understanding import services
from tenants.api_base import StoreScopedViewSet
from tenants.models import Role


class IntentSerializer(serializers.ModelSerializer):
    examples = serializers.ListField(child=serializers.CharField(allow_blank=True, trim_whitespace=False))

    class Meta:
        model = Intent
        fields = ["id", "name", "examples", "created_at"]
        read_only_fields = ["created_at"]
        validators = []  # the store is not a field here: the service and the constraint keep names unique


class FaqEntrySerializer(serializers.ModelSerializer):
    questions = serializers.ListField(child=serializers.CharField(allow_blank=True, trim_whitespace=False))
    answer = serializers.CharField(max_length=2000)

    class Meta:
        model = FaqEntry
        fields = ["id", "questions", "answer", "created_at"]
        read_only_fields = ["created_at"]


def _refused(message: str, field: str) -> Response:
    return Response({"detail": message, "errors": {field: [message]}}, status=status.HTTP_400_BAD_REQUEST)


class _PhrasesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    required_role = Role.ADMIN
    read_role = Role.AGENT
    phrases_field = ""

    def _save(self, instance=None, *, partial=False):
        form = self.serializer_class(instance, data=self.request.data, partial=partial)
        form.is_valid(raise_exception=True)
        try:
            saved = self.write(instance, form.validated_data)
        except services.InvalidPhrases as exc:
            return _refused(str(exc), self.phrases_field)
        except IntegrityError:
            return _refused("This store already has an intent with that name.", "name")
        code = status.HTTP_200_OK if instance else status.HTTP_201_CREATED
        return Response(self.serializer_class(saved).data, status=code)

    def create(self, request, store_slug):
        return self._save()

    def partial_update(self, request, store_slug, **kwargs):
        return self._save(self.get_object(), partial=True)


class IntentViewSet(_PhrasesViewSet):
    queryset = Intent.objects.all()
    serializer_class = IntentSerializer
    lookup_url_kwarg = "intent_id"
    phrases_field = "examples"

    def write(self, intent, data):
        if intent is None:
            return services.create_intent(self.store, name=data["name"], examples=data["examples"])
        return services.update_intent(intent, name=data.get("name"), examples=data.get("examples"))

    @extend_schema(summary="Delete an intent (the classifier is retrained)")
    def destroy(self, request, store_slug, intent_id):
        services.delete_intent(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class FaqEntryViewSet(_PhrasesViewSet):
    queryset = FaqEntry.objects.all()
    serializer_class = FaqEntrySerializer
    lookup_url_kwarg = "faq_id"
    phrases_field = "questions"

    def write(self, entry, data):
        if entry is None:
            return services.create_faq_entry(self.store, questions=data["questions"], answer=data["answer"])
        return services.update_faq_entry(entry, questions=data.get("questions"), answer=data.get("answer"))

    @extend_schema(summary="Delete an FAQ entry (the classifier is retrained)")
    def destroy(self, request, store_slug, faq_id):
        services.delete_faq_entry(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
