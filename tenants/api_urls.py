from django.urls import path
from rest_framework.routers import SimpleRouter

from tenants import api

router = SimpleRouter()
router.register("members", api.MemberViewSet, basename="members")
router.register("invitations", api.InvitationViewSet, basename="invitations")
router.register("api-keys", api.ApiKeyViewSet, basename="api-keys")

user_urlpatterns = [
    path("me/", api.me, name="me"),
    path("stores/", api.stores, name="stores"),
]

store_urlpatterns = [
    path("", api.StoreDetail.as_view(), name="store"),
    path("public-key/", api.RegeneratePublicKey.as_view(), name="store-public-key"),
    path("identity-secret/", api.RegenerateIdentitySecret.as_view(), name="store-identity-secret"),
    path("export/", api.StoreExport.as_view(), name="store-export"),
    *router.urls,
]
