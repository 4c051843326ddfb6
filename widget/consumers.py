"""The shopper's socket: ``/ws/widget/<store public key>/``, speaking the protocol in docs/widget-protocol.md.

Thin by design: parse a frame, call one conversations service (one short transaction), answer. Every
shopper message is stored and committed before its ``ack``; replies reach the socket through the
conversation's channel-layer group, and the database repairs any gap on reconnect.
"""

import dataclasses
import json
import time
from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import ValidationError

from conversations import services, sessions
from conversations.identity import IdentityInvalid
from conversations.realtime import conversation_group_name
from tenants.origins import origin_allowed
from tenants.queries import get_store_by_public_key

MAX_FRAME_CHARS = 20_000  # a 4,000-character message in JSON, with room to spare
RATE_PER_SECOND, RATE_BURST = 5.0, 20  # frames per connection
# Page events (scroll, time on page, cart…) are throttled by the widget; a page that floods anyway is refused.
EVENT_RATE_PER_SECOND, EVENT_BURST = 0.5, 10
REFUSED = 4403  # close code for a wrong store key or origin (the handshake is refused)


class TokenBucket:
    def __init__(self, rate: float, burst: int):
        self.rate, self.burst, self.tokens, self.at = rate, burst, float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def _store_allowing(public_key: str, origin: str, host: str):
    store = get_store_by_public_key(public_key)
    if store is None:
        return None
    if origin_allowed(origin, store.allowed_origins):
        return store
    # A demo store's storefront is served by Shopbot itself, on whatever address it runs.
    return store if store.is_demo and host and origin_allowed(origin, [f"http://{host}", f"https://{host}"]) else None


class ShopperConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        headers = dict(self.scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin-1")
        host = headers.get(b"host", b"").decode("latin-1")
        key = self.scope["url_route"]["kwargs"]["public_key"]
        store = await database_sync_to_async(_store_allowing)(key, origin, host)
        if store is None:
            await self.close(code=REFUSED)
            return
        self.scope["store"] = self.store = store
        self.session: sessions.WidgetSession | None = None
        self.group = None
        self.seen_ids: deque[int] = deque(maxlen=1000)  # ids this socket already has (history, its own acks)
        self.bucket = TokenBucket(RATE_PER_SECOND, RATE_BURST)
        self.event_bucket = TokenBucket(EVENT_RATE_PER_SECOND, EVENT_BURST)
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    # --- frames from the shopper ----------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if not self.bucket.take():
            return await self.error("rate_limited", "Slow down a little; that frame was not processed.")
        if text_data is None:
            return await self.error("bad_frame", "Frames are JSON text.")
        if len(text_data) > MAX_FRAME_CHARS:
            return await self.error("too_large", f"Frames can be at most {MAX_FRAME_CHARS} characters.")
        try:
            frame = json.loads(text_data, parse_constant=_no_constants)
        except ValueError:
            return await self.error("bad_frame", "That frame is not valid JSON.")
        kind = frame.get("type") if isinstance(frame, dict) else None
        if not isinstance(kind, str):
            return await self.error("bad_frame", "Each frame is an object with a type.")
        handler = getattr(self, f"on_{kind}", None) if kind.isidentifier() else None
        if handler is None:
            return await self.error("unknown_type", f"Unknown frame type {kind[:40]!r}.")
        if self.session is None and kind != "hello":
            return await self.error("bad_frame", "Send hello first.")
        try:
            await handler(frame)
        except ValidationError as exc:
            code = exc.code if exc.code in ("too_large", "bad_frame") else "bad_frame"
            client_id = frame.get("client_id")
            await self.error(code, exc.messages[0], client_id if isinstance(client_id, str) else None)

    async def on_hello(self, frame):
        if self.session is not None:
            return await self.error("bad_frame", "This connection already said hello.")
        self.session = session = await database_sync_to_async(sessions.open_widget_session)(
            self.store, token=frame.get("visitor_token"), customer=frame.get("customer"), page=frame.get("page"),
            cart=frame.get("cart"), locale=frame.get("locale"),
        )  # fmt: skip
        if session.identity_error:
            await self.error("identity_invalid", session.identity_error)
        # Join before reading history: a message stored in between arrives by the group, and is sent once.
        self.group = conversation_group_name(self.store.pk, session.conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        messages = await database_sync_to_async(sessions.messages_since)(
            self.store, session.conversation_id, frame.get("last_message_id")
        )
        self.seen_ids.extend(m["id"] for m in messages)
        await self.send_frame({
            "type": "welcome", "visitor_token": session.visitor_token, "conversation_id": session.conversation_id,
            "messages": messages, "conversation": _public(session.conversation),
            "store": _branding(self.store, self.scope),
        })  # fmt: skip

    async def on_message(self, frame):
        await self._post(services.post_shopper_message, frame, text=frame.get("text"))

    async def on_postback(self, frame):
        await self._post(services.post_shopper_postback, frame, payload=frame.get("payload"))

    async def _post(self, service, frame, **fields):
        # Posting is the hot path: run it in the thread pool (each thread its own connection) instead of the
        # one thread Channels gives all database work, so one slow commit does not queue every shopper.
        message, _created = await database_sync_to_async(service, thread_sensitive=False)(
            self.session.record, client_id=frame.get("client_id"), **fields
        )
        self.seen_ids.append(message.pk)
        await self.send_frame({"type": "ack", "client_id": message.client_id, "id": message.pk})

    async def on_event(self, frame):
        if not self.event_bucket.take():
            return await self.error("rate_limited", "Too many page events; that one was not recorded.")
        session = self.session
        await database_sync_to_async(sessions.record_widget_event)(
            self.store, session.conversation_id, session.contact_id, frame.get("name"), frame.get("data")
        )

    async def on_identify(self, frame):
        try:
            contact_id, token = await database_sync_to_async(sessions.identify_session)(
                self.store, self.session.contact_id, frame.get("customer")
            )
        except IdentityInvalid as exc:
            return await self.error("identity_invalid", str(exc))
        self.session = dataclasses.replace(self.session, contact_id=contact_id, visitor_token=token)
        await self.send_frame({"type": "identified", "visitor_token": token})

    async def on_attributes(self, frame):
        attributes = frame.get("attributes", {k: v for k, v in frame.items() if k != "type"})
        await database_sync_to_async(sessions.set_session_attributes)(self.store, self.session.contact_id, attributes)

    async def on_typing(self, frame):
        event = {"type": "conversation.typing", "payload": {"sender": "shopper", "on": bool(frame.get("on"))},
                 "from": self.channel_name, "conversation_id": self.session.conversation_id}  # fmt: skip
        await self.channel_layer.group_send(self.group, event)

    # --- events from the conversation's group ---------------------------------------------------

    async def conversation_message(self, event):
        payload = event["payload"]
        if payload["id"] in self.seen_ids:
            return  # already in the welcome's history, or this socket's own message (acked)
        self.seen_ids.append(payload["id"])
        await self.send_frame({"type": "message", **payload})

    async def conversation_changed(self, event):
        await self.send_frame({"type": "conversation", **_public(event["payload"])})

    async def conversation_typing(self, event):
        if event.get("from") != self.channel_name:
            await self.send_frame({"type": "typing", **event["payload"]})

    # --- sending --------------------------------------------------------------------------------

    async def send_frame(self, frame: dict):
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def error(self, code: str, message: str, client_id: str | None = None):
        frame = {"type": "error", "code": code, "message": message}
        if client_id:  # ties the error to the message it refuses
            frame["client_id"] = client_id[:64]
        await self.send_frame(frame)


def _branding(store, scope) -> dict:
    """What the widget shows before anything else: the store's name, bot, colour, avatar and language."""
    avatar = store.avatar_url
    if avatar:  # the widget runs on the shop's site: give it an absolute address on ours
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        avatar = f"{'https' if scope.get('scheme') == 'wss' else 'http'}://{host}{avatar}" if host else ""
    return {
        "name": store.name, "bot_name": store.bot_name, "brand_color": store.brand_color,
        "avatar_url": avatar, "locale": store.locale,
    }  # fmt: skip


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def _public(conversation: dict) -> dict:
    return {k: v for k, v in conversation.items() if k in ("status", "held_by", "agent")}
