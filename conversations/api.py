"""The REST API for a store's canned responses: every member reads them; owners and admins change them."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from conversations import canned
from conversations.models import CannedResponse
from tenants.api_base import StoreScopedViewSet
from tenants.models import Role


class CannedResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = CannedResponse
        fields = ["id", "shortcut", "text", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"shortcut": {"validators": []}}  # the service checks shortcuts and their uniqueness


class CannedResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    queryset = CannedResponse.objects.all()
    serializer_class = CannedResponseSerializer
    lookup_url_kwarg = "canned_id"
    required_role = Role.ADMIN
    read_role = Role.AGENT

    def _respond(self, response: CannedResponse, code=status.HTTP_200_OK) -> Response:
        return Response(CannedResponseSerializer(response).data, status=code)

    @extend_schema(request=CannedResponseSerializer, summary="Add a canned response")
    def create(self, request, store_slug):
        form = CannedResponseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        created = canned.create_canned_response(self.store, created_by=self.actor(), **form.validated_data)
        return self._respond(created, status.HTTP_201_CREATED)

    @extend_schema(request=CannedResponseSerializer, summary="Change a canned response's shortcut or text")
    def partial_update(self, request, store_slug, canned_id):
        form = CannedResponseSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        return self._respond(canned.update_canned_response(self.get_object(), **form.validated_data))

    @extend_schema(summary="Delete a canned response")
    def destroy(self, request, store_slug, canned_id):
        canned.delete_canned_response(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
