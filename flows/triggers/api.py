"""The REST API for a flow's triggers (owners and admins), and the kinds with their settings' schemas."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from flows import triggers
from flows.queries import access_flow
from flows.triggers.models import Trigger
from flows.triggers.services import set_flow_triggers
from tenants.api_base import StoreScopedAPIView
from tenants.models import Role


class TriggerListSerializer(serializers.Serializer):
    triggers = serializers.ListField(child=serializers.DictField(), max_length=triggers.MAX_TRIGGERS_PER_FLOW)


def _listed(flow) -> dict:
    rows = Trigger.objects.filter(store=flow.store, flow=flow).order_by("-priority", "id")
    return {"flow_id": flow.pk, "published": flow.published_version_id is not None,
            "triggers": [t.as_spec() for t in rows]}  # fmt: skip


class FlowTriggers(StoreScopedAPIView):
    required_role = Role.ADMIN

    @extend_schema(responses=dict, summary="A flow's triggers, highest priority first")
    def get(self, request, store_slug, flow_id):
        return Response(_listed(access_flow(self.store, flow_id)))

    @extend_schema(request=TriggerListSerializer, responses=dict, summary="Replace a flow's triggers")
    def put(self, request, store_slug, flow_id):
        flow = access_flow(self.store, flow_id)
        form = TriggerListSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        set_flow_triggers(flow, form.validated_data["triggers"])  # a refused spec answers 400, naming it
        return Response(_listed(flow))


class TriggerKinds(StoreScopedAPIView):
    required_role = Role.ADMIN

    @extend_schema(responses=dict, summary="The trigger kinds, with the JSON schema of each one's settings")
    def get(self, request, store_slug):
        return Response(triggers.schema())
