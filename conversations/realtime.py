"""Channel-layer groups and after-commit broadcasts. The database is the record; this only notifies."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def conversation_group(conversation) -> str:
    """Both the shopper's sockets and any agent watching this conversation join this group."""
    return f"store.{conversation.store_id}.conv.{conversation.pk}"


def store_group(store_id: int) -> str:
    """The store's inbox: agents' sockets join it to see conversations change."""
    return f"store.{store_id}.inbox"


def _send(group: str, event_type: str, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": event_type, "payload": payload})
    except Exception:  # the channel layer may be down; clients repair the gap on reconnect
        logger.warning("Could not broadcast %s to %s", event_type, group, exc_info=True)


def broadcast_on_commit(group: str, event_type: str, payload: dict) -> None:
    """Send ``event_type`` (``noun.verb``) to the group once the current transaction commits."""
    transaction.on_commit(lambda: _send(group, event_type, payload))
