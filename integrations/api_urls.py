from django.urls import path

from integrations import api

# Under /api/v1/s/<store_slug>/.
store_urlpatterns = [
    path("shop/", api.ShopConnection.as_view(), name="shop"),
    path("shop/sync/", api.ShopSync.as_view(), name="shop-sync"),
]
