from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from conversations.consumers import InboxConsumer
from conversations.preview_consumer import PreviewConsumer

# Only these routes read the Django session (the widget's socket must never see a staff cookie). The Origin
# must be one of ALLOWED_HOSTS, so another site cannot open an agent's socket with their cookie.
websocket_urlpatterns = [
    path(
        "ws/inbox/<slug:store_slug>/",
        AllowedHostsOriginValidator(AuthMiddlewareStack(InboxConsumer.as_asgi())),
        name="inbox_socket",
    ),
    path(
        "ws/preview/<int:flow_id>/",
        AllowedHostsOriginValidator(AuthMiddlewareStack(PreviewConsumer.as_asgi())),
        name="preview_socket",
    ),
]
