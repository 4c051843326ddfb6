from django.urls import path

from integrations import views, webhook_pages, webhook_views

# Under /s/<store_slug>/.
store_urlpatterns = [
    path("shop/", views.shop, name="shop"),
    path("shop/connect/", views.shop_connect, name="shop_connect"),
    path("shop/install/", views.shop_install, name="shop_install"),
    path("shop/sync/", views.shop_sync, name="shop_sync"),
    path("shop/disconnect/", views.shop_disconnect, name="shop_disconnect"),
    path("shop/connect/woocommerce/", views.shop_connect_woocommerce, name="shop_connect_woocommerce"),
    path("webhooks/", webhook_pages.webhooks, name="webhooks"),
    path("webhooks/<int:endpoint_id>/delete/", webhook_pages.webhook_delete, name="webhook_delete"),
    path("privacy/", webhook_pages.privacy, name="privacy"),
]

public_urlpatterns = [
    path("integrations/shopify/callback/", views.shopify_callback, name="shopify_callback"),
    path("webhooks/shopify/", webhook_views.shopify_webhook, name="shopify_webhook"),
    path("webhooks/woocommerce/<int:connection_id>/", webhook_views.woocommerce_webhook, name="woocommerce_webhook"),
]
