from django.urls import path

from widget.consumers import ShopperConsumer

websocket_urlpatterns = [
    path("ws/widget/<str:public_key>/", ShopperConsumer.as_asgi(), name="widget_socket"),
]
