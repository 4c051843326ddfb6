from rest_framework import serializers

from flows.models import Flow, FlowVersion


class VersionSummarySerializer(serializers.ModelSerializer):
    published_by = serializers.SerializerMethodField()

    class Meta:
        model = FlowVersion
        fields = ["id", "number", "note", "published_by", "created_at"]

    def get_published_by(self, version) -> str:
        return version.published_by.display_name if version.published_by_id else ""


class VersionSerializer(VersionSummarySerializer):
    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "graph"]


class FlowSerializer(serializers.ModelSerializer):
    """A flow with its draft graph. Writes go through ``flows.services``, which validates the graph."""

    graph = serializers.JSONField(source="draft_graph", required=False)
    published_version = VersionSummarySerializer(read_only=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    revision = serializers.IntegerField(
        source="draft_revision", required=False,
        help_text="The draft's revision. Send the one you edited: a stale one is refused with 409 and the newer draft.",
    )  # fmt: skip
    draft_updated_by = serializers.SerializerMethodField()

    class Meta:
        model = Flow
        fields = [
            "id", "name", "description", "is_default", "graph", "revision", "draft_updated_at", "draft_updated_by",
            "published_version", "created_at",
        ]  # fmt: skip
        read_only_fields = ["is_default", "draft_updated_at", "created_at"]

    def get_draft_updated_by(self, flow) -> str:
        return flow.draft_updated_by.display_name if flow.draft_updated_by_id else ""


class CreateFlowSerializer(FlowSerializer):
    template = serializers.CharField(required=False, help_text="Start from this starter template's key.")

    class Meta(FlowSerializer.Meta):
        fields = [*FlowSerializer.Meta.fields, "template"]
        extra_kwargs = {"name": {"required": False}}


class DraftSerializer(serializers.Serializer):
    graph = serializers.JSONField()
    revision = serializers.IntegerField(help_text="The revision this draft was edited from.")


class DraftSavedSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    draft_updated_at = serializers.DateTimeField()
    errors = serializers.ListField(child=serializers.DictField(), help_text="What stops this draft from publishing.")


class StarterTemplateSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    graph = serializers.JSONField()
    triggers = serializers.JSONField()


class GraphSerializer(serializers.Serializer):
    graph = serializers.JSONField(required=False)


class PublishSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RollbackSerializer(serializers.Serializer):
    version_id = serializers.IntegerField()


class GraphErrorSerializer(serializers.Serializer):
    node = serializers.CharField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = GraphErrorSerializer(many=True)
