"""The flow API the builder uses: create, edit the draft, validate, publish, roll back, list versions."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from flows import nodes, services
from flows.models import Flow, FlowVersion
from flows.queries import access_flow, access_flow_version
from flows.serializers import (
    CreateFlowSerializer,
    DraftSavedSerializer,
    DraftSerializer,
    FlowSerializer,
    GraphSerializer,
    PublishSerializer,
    RollbackSerializer,
    StarterTemplateSerializer,
    ValidationResultSerializer,
    VersionSerializer,
    VersionSummarySerializer,
)
from flows.starters import starter_templates
from tenants.api_base import StoreScopedAPIView, StoreScopedViewSet
from tenants.models import Role


def invalid_graph(exc: services.InvalidGraph) -> Response:
    errors = [e.as_dict() for e in exc.graph_errors]
    first = exc.messages[0] if exc.messages else "The graph is invalid."
    detail = f"The flow has {len(errors)} problem{'s' if len(errors) != 1 else ''}: {first}"
    return Response(
        {"detail": detail, "errors": {"graph": exc.messages}, "graph_errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def stale_draft(exc: services.StaleDraft) -> Response:
    flow = exc.flow
    who = flow.draft_updated_by.display_name if flow.draft_updated_by_id else "Someone"
    return Response(
        {"detail": f"{who} changed this flow since you opened it. Here is their version; your change was not saved.",
         "flow": FlowSerializer(flow).data},
        status=status.HTTP_409_CONFLICT,
    )  # fmt: skip


class FlowViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """Flows are built by owners and admins."""

    queryset = Flow.objects.select_related("published_version__published_by")
    serializer_class = FlowSerializer
    lookup_url_kwarg = "flow_id"
    required_role = Role.ADMIN

    @extend_schema(
        request=CreateFlowSerializer, responses=FlowSerializer,
        summary="Create a flow, blank or from a starter template (the first is the default)",
    )  # fmt: skip
    def create(self, request, store_slug):
        form = CreateFlowSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            if data.get("template"):
                flow = services.create_flow_from_template(
                    self.store, data["template"], name=data.get("name", ""), by=self.actor()
                )
            else:
                flow = services.create_flow(
                    self.store, name=data.get("name", ""), description=data.get("description", ""),
                    graph=data.get("draft_graph"), by=self.actor(),
                )  # fmt: skip
        except services.InvalidGraph as exc:
            return invalid_graph(exc)
        return Response(FlowSerializer(flow).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FlowSerializer, responses=FlowSerializer, summary="Rename, or save the draft graph")
    def partial_update(self, request, store_slug, flow_id):
        flow = self.get_object()
        form = FlowSerializer(flow, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            flow = services.update_flow(
                flow, name=data.get("name"), description=data.get("description"), graph=data.get("draft_graph"),
                by=self.actor(), revision=data.get("draft_revision"),
            )  # fmt: skip
        except services.InvalidGraph as exc:
            return invalid_graph(exc)
        except services.StaleDraft as exc:
            return stale_draft(exc)
        return Response(FlowSerializer(self.get_object()).data)

    @extend_schema(
        request=DraftSerializer, responses={200: DraftSavedSerializer, 409: FlowSerializer},
        summary="Autosave the draft, even one not ready to publish; answers what stops it from publishing",
    )  # fmt: skip
    @action(detail=True, methods=["put"])
    def draft(self, request, store_slug, flow_id):
        flow = self.get_object()  # another store's flow: 404 before anything about the body
        form = DraftSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            flow, errors = services.save_draft(
                flow, graph=form.validated_data["graph"], revision=form.validated_data["revision"],
                by=self.actor(),
            )  # fmt: skip
        except services.InvalidGraph as exc:
            return invalid_graph(exc)
        except services.StaleDraft as exc:
            return stale_draft(exc)
        return Response({"revision": flow.draft_revision, "draft_updated_at": flow.draft_updated_at,
                         "errors": [e.as_dict() for e in errors]})  # fmt: skip

    @extend_schema(request=None, responses=FlowSerializer, summary="Copy a flow's draft into a new flow")
    @action(detail=True, methods=["post"])
    def duplicate(self, request, store_slug, flow_id):
        flow = services.duplicate_flow(self.get_object(), by=self.actor())
        return Response(FlowSerializer(flow).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=dict, summary="The flow as a JSON file to import elsewhere")
    @action(detail=True, methods=["get"])
    def export(self, request, store_slug, flow_id):
        flow = self.get_object()
        filename = "".join(c if c.isalnum() else "-" for c in flow.name.lower()).strip("-") or "flow"
        return Response(
            services.export_flow(flow), headers={"Content-Disposition": f'attachment; filename="{filename}.json"'}
        )

    @extend_schema(request=dict, responses=FlowSerializer, summary="Create a flow from an exported JSON file")
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request, store_slug):
        try:
            flow = services.import_flow(self.store, request.data, by=self.actor())
        except services.InvalidGraph as exc:
            return invalid_graph(exc)
        return Response(FlowSerializer(flow).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Delete a flow and its versions (refused while another flow jumps to it)")
    def destroy(self, request, store_slug, flow_id):
        services.delete_flow(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=GraphSerializer, responses=ValidationResultSerializer, summary="Check a graph")
    @action(detail=True, methods=["post"])
    def validate(self, request, store_slug, flow_id):
        flow = self.get_object()
        form = GraphSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        graph = form.validated_data.get("graph", flow.draft_graph)
        errors = [e.as_dict() for e in services.check_graph(self.store, graph, flow_id=flow.pk)]
        return Response({"valid": not errors, "errors": errors})

    @extend_schema(request=PublishSerializer, responses=VersionSerializer, summary="Publish the draft")
    @action(detail=True, methods=["post"])
    def publish(self, request, store_slug, flow_id):
        form = PublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        flow = self.get_object()
        live_before = flow.published_version_id
        try:
            version = services.publish_flow(flow, by=self.actor(), note=form.validated_data["note"])
        except services.InvalidGraph as exc:
            return invalid_graph(exc)
        created = version.pk != live_before  # publishing an unchanged draft changes nothing
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED if created else 200)

    @extend_schema(request=RollbackSerializer, responses=FlowSerializer, summary="Make an earlier version live")
    @action(detail=True, methods=["post"])
    def rollback(self, request, store_slug, flow_id):
        flow = self.get_object()
        form = RollbackSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        version = access_flow_version(self.store, flow, form.validated_data["version_id"])
        services.roll_back_flow(flow, version, by=self.actor())
        return Response(FlowSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=FlowSerializer, summary="Start new conversations in this flow")
    @action(detail=True, methods=["post"], url_path="make-default")
    def make_default(self, request, store_slug, flow_id):
        services.make_default_flow(self.get_object())
        return Response(FlowSerializer(self.get_object()).data)


class FlowVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """A flow's published versions, newest first."""

    queryset = FlowVersion.objects.select_related("published_by")
    lookup_url_kwarg = "version_id"
    required_role = Role.ADMIN

    def get_serializer_class(self):
        return VersionSerializer if self.action == "retrieve" else VersionSummarySerializer

    def narrow_queryset(self, queryset):
        flow = access_flow(self.store, self.kwargs["flow_id"])  # another store's flow: 404, not an empty list
        return queryset.filter(flow=flow)


class StarterTemplates(StoreScopedAPIView):
    required_role = Role.ADMIN

    @extend_schema(responses=StarterTemplateSerializer(many=True), summary="The flows a new flow can start from")
    def get(self, request, store_slug):
        return Response(StarterTemplateSerializer(starter_templates(self.store), many=True).data)


class NodeTypes(StoreScopedAPIView):
    required_role = Role.ADMIN

    @extend_schema(responses=dict, summary="The node types, with the JSON schema of each one's settings")
    def get(self, request, store_slug):
        return Response(nodes.palette())

