from django.urls import path
from rest_framework.routers import SimpleRouter

from integrations import api, webhook_api

router = SimpleRouter()
router.register("webhook-endpoints", webhook_api.WebhookEndpointViewSet, basename="webhook-endpoints")
router.register("privacy-requests", webhook_api.PrivacyRequestViewSet, basename="privacy-requests")

# Under /api/v1/s/<store_slug>/.
store_urlpatterns = [
    path("shop/", api.ShopConnection.as_view(), name="shop"),
    path("shop/sync/", api.ShopSync.as_view(), name="shop-sync"),
    path("catalog/products/", api.CatalogProducts.as_view(), name="catalog-products"),
    path("catalog/collections/", api.CatalogCollections.as_view(), name="catalog-collections"),
    path("catalog/customers/", api.CatalogCustomers.as_view(), name="catalog-customers"),
    *router.urls,
]
