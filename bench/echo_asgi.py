"""The project's ASGI application plus an echo socket at /ws/bench-echo/: the floor for widget_bench.py.

The echo runs on the same stack as the shopper socket (uvicorn, Channels, JSON in and out) and does no
database or channel-layer work, so the difference is what a bot turn costs.
"""

import json

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path

from botplatform.asgi import django_asgi_app
from botplatform.routing import websocket_urlpatterns


class EchoConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        frame = json.loads(text_data)
        await self.send(text_data=json.dumps({"type": "message", "sender": "bot", "text": frame.get("text", "")}))


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": URLRouter([path("ws/bench-echo/", EchoConsumer.as_asgi()), *websocket_urlpatterns]),
    }
)
