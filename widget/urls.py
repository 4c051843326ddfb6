from django.urls import path

from widget import views

urlpatterns = [
    path("w/shopbot.js", views.widget_script, name="widget_script"),
    path("demo/<slug:shop_slug>/", views.storefront, name="demo_storefront"),
    path("demo/<slug:shop_slug>/p/<slug:handle>/", views.product_page, name="demo_product"),
    path("demo/<slug:shop_slug>/cart/", views.cart_page, name="demo_cart"),
    path("demo/<slug:shop_slug>/cart/add/", views.cart_add, name="demo_cart_add"),
    path("demo/<slug:shop_slug>/browse-as/", views.browse_as, name="demo_browse_as"),
]
