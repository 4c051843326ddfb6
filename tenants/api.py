"""The tenants REST API: the signed-in user, their stores, and a store's settings, team and keys."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tenants import privacy, services
from tenants.api_base import StoreScopedAPIView, StoreScopedViewSet
from tenants.models import ApiKey, Invitation, Membership, Role
from tenants.queries import stores_of
from tenants.serializers import (
    ApiKeySerializer,
    InvitationSerializer,
    MembershipSerializer,
    MyStoreSerializer,
    NewApiKeySerializer,
    NewStoreSerializer,
    PublicKeySerializer,
    RoleSerializer,
    SecretSerializer,
    StoreSerializer,
    UserSerializer,
)


class SessionUserOnly(IsAuthenticated):
    """Account endpoints belong to a person; API keys belong to a store and cannot use them."""

    message = "This endpoint needs a logged-in user, not an API key."

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.auth is None


@extend_schema(responses=UserSerializer, summary="The logged-in user and the stores they belong to")
@api_view(["GET"])
@permission_classes([SessionUserOnly])
def me(request):
    data = UserSerializer(request.user).data
    data["stores"] = MyStoreSerializer(stores_of(request.user), many=True).data
    return Response(data)


@extend_schema(
    methods=["GET"], responses=MyStoreSerializer(many=True), summary="Stores the logged-in user belongs to"
)
@extend_schema(methods=["POST"], request=NewStoreSerializer, responses=StoreSerializer, summary="Create a store")
@api_view(["GET", "POST"])
@permission_classes([SessionUserOnly])
def stores(request):
    if request.method == "GET":
        return Response(MyStoreSerializer(stores_of(request.user), many=True).data)
    form = NewStoreSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    store = services.create_store(request.user, **form.validated_data)
    return Response(StoreSerializer(store).data, status=status.HTTP_201_CREATED)


class StoreDetail(StoreScopedAPIView):
    """The store's settings: any member may read them; owners and admins change them; owners delete."""

    read_role = Role.AGENT
    required_role = Role.ADMIN
    action_roles = {"delete": Role.OWNER}
    serializer_class = StoreSerializer

    @extend_schema(responses=StoreSerializer, summary="Read the store's settings")
    def get(self, request, store_slug):
        return Response(StoreSerializer(self.store).data)

    @extend_schema(request=StoreSerializer, responses=StoreSerializer, summary="Change the store's settings")
    def patch(self, request, store_slug):
        form = StoreSerializer(self.store, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        store = services.update_store_settings(self.store, **form.validated_data)
        return Response(StoreSerializer(store).data)

    @extend_schema(responses={204: None}, summary="Delete the store and all its data (owners only)")
    def delete(self, request, store_slug):
        services.delete_store(self.store, by=self.actor())
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegeneratePublicKey(StoreScopedAPIView):
    required_role = Role.ADMIN

    @extend_schema(request=None, responses=PublicKeySerializer, summary="Issue a new widget key")
    def post(self, request, store_slug):
        return Response({"public_key": services.regenerate_public_key(self.store)})


class RegenerateIdentitySecret(StoreScopedAPIView):
    required_role = Role.ADMIN

    @extend_schema(request=None, responses=SecretSerializer, summary="Issue a new identity secret (shown once)")
    def post(self, request, store_slug):
        return Response({"identity_secret": services.regenerate_identity_secret(self.store)})


class StoreExport(StoreScopedAPIView):
    required_role = Role.OWNER

    @extend_schema(responses=dict, summary="Export everything the platform holds for this store (owners only)")
    def get(self, request, store_slug):
        return Response(privacy.export_store_data(self.store))


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    """The team. Changing a role or removing someone is for owners and admins; ownership for owners."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    lookup_url_kwarg = "member_id"
    required_role = Role.ADMIN
    read_role = Role.AGENT

    @extend_schema(request=RoleSerializer, responses=MembershipSerializer, summary="Change a member's role")
    def partial_update(self, request, store_slug, member_id):
        membership = self.get_object()
        form = RoleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        role = form.validated_data["role"]
        membership = services.change_member_role(self.store, membership, role=role, by=self.actor())
        return Response(MembershipSerializer(membership).data)

    @extend_schema(summary="Remove a member from the team (ends their sessions)")
    def destroy(self, request, store_slug, member_id):
        services.remove_member(self.store, self.get_object(), by=self.actor())
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    queryset = Invitation.objects.select_related("invited_by")
    serializer_class = InvitationSerializer
    lookup_url_kwarg = "invitation_id"
    required_role = Role.ADMIN

    def narrow_queryset(self, queryset):
        return queryset.filter(accepted_at__isnull=True)

    @extend_schema(request=InvitationSerializer, responses=InvitationSerializer, summary="Invite by email")
    def create(self, request, store_slug):
        form = InvitationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        invitation, _token = services.invite_member(
            self.store, email=form.validated_data["email"], role=form.validated_data["role"], invited_by=self.actor()
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Withdraw an invitation (its link stops working)")
    def destroy(self, request, store_slug, invitation_id):
        services.revoke_invitation(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StoreScopedViewSet):
    queryset = ApiKey.objects.all()
    serializer_class = ApiKeySerializer
    lookup_url_kwarg = "api_key_id"
    required_role = Role.ADMIN

    @extend_schema(request=ApiKeySerializer, responses=NewApiKeySerializer, summary="Create a key (shown once)")
    def create(self, request, store_slug):
        form = ApiKeySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        key, plain = services.create_api_key(self.store, created_by=self.actor(), **form.validated_data)
        data = NewApiKeySerializer(key).data
        data["key"] = plain
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke a key; scripts using it are refused from then on")
    def destroy(self, request, store_slug, api_key_id):
        services.revoke_api_key(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
