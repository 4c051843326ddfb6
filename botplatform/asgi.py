"""ASGI entry point: HTTP through Django, websockets through Channels' URL router."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "botplatform.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402  (Django must be set up first)
from django.conf import settings  # noqa: E402

from botplatform.routing import websocket_urlpatterns  # noqa: E402

if settings.DEMO:  # no beat process in the one-command demo: sweep timers and lost turns in-process
    from conversations.sweeper import start_in_process_sweeper

    start_in_process_sweeper()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Each consumer checks its own credentials: the widget its store key and Origin, staff their session.
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
