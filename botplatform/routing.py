"""Websocket routes. Apps add their consumers here (the widget, the inbox, the builder preview).

Public sockets, each with the reason (HTTP routes are listed in botplatform/routes.py):
- ``widget_socket``: shoppers on the store's own site; the store key, the page's Origin (checked against
  the store's allowed origins) and a signed visitor token are the credentials.

Staff sockets:
- ``inbox_socket``: agents, by their Django session (only this route is wrapped in AuthMiddlewareStack)
  and an Origin among ALLOWED_HOSTS; membership of the store is checked on connect and on every frame.
- ``preview_socket``: the flow builder's preview, by the owner's or an admin's session (same wrapping as the
  inbox); their role in the flow's store is checked on connect and on every frame.
"""

from conversations.routing import websocket_urlpatterns as inbox_patterns
from widget.routing import websocket_urlpatterns as widget_patterns

websocket_urlpatterns: list = [*widget_patterns, *inbox_patterns]
