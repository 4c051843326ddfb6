"""Channel-layer groups and after-commit broadcasts. The database is the record; this only notifies."""

import asyncio
import logging
import os
import threading
from contextlib import contextmanager

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)
_local = threading.local()


def conversation_group(conversation) -> str:
    """Both the shopper's sockets and any agent watching this conversation join this group."""
    return conversation_group_name(conversation.store_id, conversation.pk)


def conversation_group_name(store_id: int, conversation_id: int) -> str:
    return f"store.{store_id}.conv.{conversation_id}"


def store_group(store_id: int) -> str:
    """The store's inbox: agents' sockets join it to see conversations change."""
    return f"store.{store_id}.inbox"


class _SenderLoop:
    """One event loop in a daemon thread per process, so a channel layer's Redis connections are reused
    between broadcasts from sync code (Celery workers); a fresh loop per send would reconnect each time."""

    def __init__(self):
        self.loop, self.pid, self.lock = None, None, threading.Lock()

    def run(self, coroutine, timeout: float):
        with self.lock:
            if self.loop is None or self.pid != os.getpid():  # after a fork the thread is gone
                self.loop, self.pid = asyncio.new_event_loop(), os.getpid()
                threading.Thread(target=self.loop.run_forever, name="broadcasts", daemon=True).start()
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


_sender = _SenderLoop()


def _send(events: list[tuple[str, str, dict]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_in_order():
        for group, event_type, payload in events:
            await layer.group_send(group, {"type": event_type, "payload": payload})

    try:
        if isinstance(layer, InMemoryChannelLayer):  # its queues belong to the server's own event loop
            async_to_sync(send_in_order)()
        else:
            _sender.run(send_in_order(), timeout=5)
    except Exception:  # the channel layer may be down; clients repair the gap on reconnect
        logger.warning("Could not broadcast %d events", len(events), exc_info=True)


def broadcast_on_commit(group: str, event_type: str, payload: dict) -> None:
    """Send ``event_type`` (``noun.verb``) to the group once the current transaction commits."""
    batch = getattr(_local, "batch", None)
    if batch is not None:
        batch.append((group, event_type, payload))
    else:
        transaction.on_commit(lambda: _send([(group, event_type, payload)]))


@contextmanager
def batched_broadcasts():
    """Inside a transaction: send every broadcast made in the block in one go, in order, after commit."""
    if getattr(_local, "batch", None) is not None:
        yield
        return
    _local.batch = batch = []
    try:
        yield
    finally:
        _local.batch = None
    if batch:
        transaction.on_commit(lambda: _send(batch))
