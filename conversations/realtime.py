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


def member_group(store_id: int, user_id: int) -> str:
    """One teammate's inbox sockets for one store: told when they are removed, and of their read markers."""
    return f"store.{store_id}.member.{user_id}"


class _Sender:
    """One event loop in a daemon thread per process sends every broadcast from sync code, in order.

    A fresh loop per send (``async_to_sync``) would reconnect to Redis each time, and waiting for the send
    would hold up the thread that runs the database work (one thread per server process under Channels).
    Broadcasts are queued and the caller goes on; the database stays the record if one is lost.
    """

    def __init__(self):
        self.loop, self.queue, self.pid, self.lock = None, None, None, threading.Lock()

    def submit(self, layer, events: list[tuple[str, str, dict]]) -> None:
        with self.lock:
            if self.loop is None or self.pid != os.getpid():  # after a fork the thread is gone
                self.loop, self.pid = asyncio.new_event_loop(), os.getpid()
                self.queue = asyncio.Queue()
                threading.Thread(target=self._run, name="broadcasts", daemon=True).start()
            self.loop.call_soon_threadsafe(self.queue.put_nowait, (layer, events))

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._drain())

    async def _drain(self) -> None:
        while True:
            layer, events = await self.queue.get()
            try:
                for group, event_type, payload in events:
                    await layer.group_send(group, {"type": event_type, "payload": payload})
            except Exception:  # the channel layer may be down; clients repair the gap on reconnect
                logger.warning("Could not broadcast %d events", len(events), exc_info=True)


_sender = _Sender()


def _send(events: list[tuple[str, str, dict]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    if not isinstance(layer, InMemoryChannelLayer):
        _sender.submit(layer, events)
        return

    async def send_in_order():  # the in-memory layer's queues belong to the server's own event loop
        for group, event_type, payload in events:
            await layer.group_send(group, {"type": event_type, "payload": payload})

    try:
        async_to_sync(send_in_order)()
    except Exception:
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
