"""Websocket routes. Apps add their consumers here (the widget, the inbox, the builder preview)."""

websocket_urlpatterns: list = []
