"""The REST API for campaigns (owners and admins change them; agents read)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from conversations import campaigns
from conversations.models import Campaign
from tenants.api_base import StoreScopedViewSet
from tenants.models import Role


class CampaignSerializer(serializers.ModelSerializer):
    flow_id = serializers.IntegerField(required=False, allow_null=True)
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    tag = serializers.CharField(required=False, allow_blank=True, max_length=50)
    shown = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "name", "audience", "tag", "text", "flow_id", "starts_on", "ends_on", "display", "enabled",
                  "shown", "created_at"]  # fmt: skip
        read_only_fields = ["created_at"]

    def get_shown(self, campaign) -> int:
        return self.context.get("shown", {}).get(campaign.pk, 0)


def _fields(data: dict) -> dict:
    fields = dict(data)
    if "flow_id" in fields:
        fields["flow"] = fields.pop("flow_id")
    return fields


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    lookup_url_kwarg = "campaign_id"
    required_role = Role.ADMIN
    read_role = Role.AGENT

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "shown": campaigns.shown_counts(self.store)}

    @extend_schema(request=CampaignSerializer, responses=CampaignSerializer, summary="Create a campaign")
    def create(self, request, store_slug):
        form = CampaignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        campaign = campaigns.create_campaign(self.store, **_fields(form.validated_data))
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CampaignSerializer, responses=CampaignSerializer, summary="Change a campaign")
    def partial_update(self, request, store_slug, campaign_id):
        form = CampaignSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        campaign = campaigns.update_campaign(self.get_object(), **_fields(form.validated_data))
        return Response(CampaignSerializer(campaign, context=self.get_serializer_context()).data)

    @extend_schema(summary="Delete a campaign")
    def destroy(self, request, store_slug, campaign_id):
        campaigns.delete_campaign(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
