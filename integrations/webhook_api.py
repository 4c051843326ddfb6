"""The API for a store's outbound webhook endpoints (with their recent deliveries) and its privacy requests."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from integrations import outbound, privacy_requests
from integrations.models import OutboundEvent, PrivacyKind, PrivacyRequest, WebhookDelivery, WebhookEndpoint
from tenants.api_base import StoreScopedViewSet
from tenants.models import Role


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=OutboundEvent.choices), min_length=1)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "created_at", "last_status", "last_delivery_at"]
        read_only_fields = ["id", "created_at", "last_status", "last_delivery_at"]


class EndpointWithSecretSerializer(EndpointSerializer):
    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = [*EndpointSerializer.Meta.read_only_fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "event", "status", "attempts", "last_status_code", "last_error", "created_at", "delivered_at",
                  "next_attempt_at"]  # fmt: skip
        read_only_fields = fields


class WebhookEndpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """Endpoints are managed by owners and admins; the secret is shown once, when the endpoint is created."""

    queryset = WebhookEndpoint.objects.all()
    serializer_class = EndpointSerializer
    lookup_url_kwarg = "endpoint_id"
    required_role = Role.ADMIN

    @extend_schema(request=EndpointSerializer, responses=EndpointWithSecretSerializer, summary="Add an endpoint")
    def create(self, request, store_slug):
        form = EndpointSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        endpoint = outbound.create_endpoint(self.store, url=form.validated_data["url"],
                                            events=form.validated_data["events"])  # fmt: skip
        return Response(EndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndpointSerializer, responses=EndpointSerializer, summary="Change an endpoint")
    def partial_update(self, request, store_slug, endpoint_id):
        endpoint = self.get_object()
        form = EndpointSerializer(endpoint, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        outbound.update_endpoint(
            endpoint, url=data.get("url", endpoint.url), events=data.get("events", endpoint.events),
            is_active=data.get("is_active", endpoint.is_active),
        )  # fmt: skip
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(summary="Remove an endpoint and its deliveries")
    def destroy(self, request, store_slug, endpoint_id):
        outbound.delete_endpoint(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=DeliverySerializer(many=True), summary="The endpoint's last 50 deliveries")
    @action(detail=True, methods=["get"])
    def deliveries(self, request, store_slug, endpoint_id):
        endpoint = self.get_object()
        return Response(DeliverySerializer(endpoint.deliveries.all()[:50], many=True).data)


class PrivacyRequestSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(write_only=True)
    kind = serializers.ChoiceField(choices=[PrivacyKind.DATA_REQUEST, PrivacyKind.REDACT_SHOPPER])

    class Meta:
        model = PrivacyRequest
        fields = ["id", "kind", "email", "source", "shop", "shopper", "result", "requested_by", "requested_at",
                  "completed_at", "note"]  # fmt: skip
        read_only_fields = ["id", "source", "shop", "shopper", "result", "requested_by", "requested_at",
                            "completed_at", "note"]  # fmt: skip


class PrivacyRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """The store's privacy log; the owner can export or erase a shopper who asked by email."""

    queryset = PrivacyRequest.objects.all()
    serializer_class = PrivacyRequestSerializer
    lookup_url_kwarg = "privacy_request_id"
    required_role = Role.OWNER

    @extend_schema(request=PrivacyRequestSerializer, responses=PrivacyRequestSerializer,
                   summary="Export or erase everything the store holds on a shopper, by email")  # fmt: skip
    def create(self, request, store_slug):
        form = PrivacyRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actor = self.actor()
        done = privacy_requests.request_from_owner(
            self.store, kind=form.validated_data["kind"], email=form.validated_data["email"],
            requested_by=actor.email if actor else "API key",
        )  # fmt: skip
        return Response(PrivacyRequestSerializer(done).data, status=status.HTTP_201_CREATED)
