"""The shop connection API: read the connection and sync status, connect, disconnect, ask for a sync."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from integrations import services
from integrations.models import Platform
from integrations.queries import get_connection, pick_collections, pick_customers, pick_products
from integrations.serializers import ConnectionSerializer, ConnectSerializer, SyncRequestSerializer
from tenants.api_base import StoreScopedAPIView
from tenants.models import Role


class ShopConnection(StoreScopedAPIView):
    required_role = Role.ADMIN

    @extend_schema(responses=ConnectionSerializer, summary="The store's shop connection and sync status")
    def get(self, request, store_slug):
        connection = get_connection(self.store)
        if connection is None:
            return Response({"detail": "This store is not connected to a shop."}, status=status.HTTP_404_NOT_FOUND)
        return Response(ConnectionSerializer(connection).data)

    @extend_schema(
        request=ConnectSerializer, responses=ConnectionSerializer,
        summary="Connect the store with an access token (checked with the platform first); starts a full sync",
    )  # fmt: skip
    def put(self, request, store_slug):
        form = ConnectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if data["platform"] == Platform.WOOCOMMERCE:
            connection = services.connect_woocommerce(self.store, url=data["url"], key=data["key"],
                                                      secret=data["secret"])  # fmt: skip
        else:
            connection = services.connect_shopify(self.store, shop=data["shop"], token=data["token"])
        return Response(ConnectionSerializer(connection).data)

    @extend_schema(responses={204: None}, summary="Disconnect: delete the credentials (the mirror stays)")
    def delete(self, request, store_slug):
        services.disconnect_store(self.store)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShopSync(StoreScopedAPIView):
    required_role = Role.ADMIN

    @extend_schema(request=SyncRequestSerializer, responses={202: ConnectionSerializer}, summary="Start a sync")
    def post(self, request, store_slug):
        form = SyncRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        connection = get_connection(self.store)
        if connection is None:
            raise ValidationError("Connect the store to its shop first.")
        services.request_sync(connection, full=form.validated_data["full"])
        connection.refresh_from_db()
        return Response(ConnectionSerializer(connection).data, status=status.HTTP_202_ACCEPTED)


class _Picker(StoreScopedAPIView):
    """A read-only list for the flow builder's pickers; ``?q=`` narrows it (at most 50 rows)."""

    required_role = Role.ADMIN
    pick = None

    def get(self, request, store_slug):
        return Response(type(self).pick(self.store, request.query_params.get("q", "")[:100]))


class CatalogProducts(_Picker):
    pick = staticmethod(pick_products)

    @extend_schema(responses=dict, summary="Synced products (handle, title, image) for the builder's picker")
    def get(self, request, store_slug):
        return super().get(request, store_slug)


class CatalogCollections(_Picker):
    pick = staticmethod(pick_collections)

    @extend_schema(responses=dict, summary="Synced collections (handle, title) for the builder's picker")
    def get(self, request, store_slug):
        return super().get(request, store_slug)


class CatalogCustomers(_Picker):
    pick = staticmethod(pick_customers)

    @extend_schema(responses=dict, summary="Synced customers, to preview a flow as one of them")
    def get(self, request, store_slug):
        return super().get(request, store_slug)
