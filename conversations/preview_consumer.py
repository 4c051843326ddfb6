"""The builder's preview socket: ``/ws/preview/<flow id>/``, authenticated by the owner's Django session.

It speaks the widget protocol (so the real widget can talk to it) and adds ``node`` {id} frames: the node
the chat just entered, for the builder to highlight. The draft runs in memory (``conversations.preview``);
nothing is stored. Only owners and admins of the flow's store may connect, checked again on every frame.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import ValidationError

from conversations import preview
from conversations.services import clean_text

REFUSED = 4403
MAX_FRAME_CHARS = 20_000


def _start(flow, query: str):
    chat = preview.PreviewChat(flow, preview.PreviewChoices.from_query(query))
    return chat, chat.start()


class PreviewConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        flow_id = self.scope["url_route"]["kwargs"]["flow_id"]
        self.flow = await database_sync_to_async(preview.access_previewable_flow)(flow_id, self.user)
        if self.flow is None:  # signed out, not a member, an agent, or no such flow: nothing is revealed
            await self.close(code=REFUSED)
            return
        self.scope["store"] = self.flow.store
        self.chat = None
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            return await self.error("too_large", f"Frames are JSON text of at most {MAX_FRAME_CHARS} characters.")
        try:
            frame = json.loads(text_data)
        except ValueError:
            return await self.error("bad_frame", "That frame is not valid JSON.")
        kind = frame.get("type") if isinstance(frame, dict) else None
        if not await database_sync_to_async(preview.still_allowed)(self.flow, self.user):
            return await self.close(code=REFUSED)
        if kind == "hello":
            return await self.on_hello()
        if kind in ("message", "postback"):
            return await self.on_shopper(kind, frame)
        if kind in ("event", "typing", "identify", "attributes"):
            return None  # a preview records nothing about its pretend shopper
        await self.error("unknown_type", "Unknown frame type.")

    async def on_hello(self):
        store = self.flow.store
        query = self.scope.get("query_string", b"").decode("latin-1")
        try:
            self.chat, turn = await database_sync_to_async(_start)(self.flow, query)
        except preview.PreviewRefused as exc:
            await self.send_frame(self._welcome(store))
            return await self.send_frame({
                "type": "error", "code": "draft_invalid", "errors": exc.errors,
                "message": f"The draft cannot run yet: {exc.errors[0]['message'] if exc.errors else 'it is invalid'}",
            })  # fmt: skip
        await self.send_frame(self._welcome(store))
        await self.send_turn(turn)

    def _welcome(self, store) -> dict:
        return {
            "type": "welcome", "visitor_token": "", "conversation_id": 0, "messages": [], "preview": True,
            "conversation": {"id": 0, "status": "open", "held_by": "bot"},
            "store": {"name": store.name, "bot_name": store.bot_name, "brand_color": store.brand_color,
                      "avatar_url": store.avatar_url, "locale": store.locale},
        }  # fmt: skip

    async def on_shopper(self, kind: str, frame: dict):
        if self.chat is None:
            return await self.error("bad_frame", "Send hello first.")
        client_id = frame.get("client_id") if isinstance(frame.get("client_id"), str) else ""
        try:
            text = clean_text(frame.get("text")) if kind == "message" else ""
        except ValidationError as exc:
            return await self.error("bad_frame", exc.messages[0], client_id)
        payload = str(frame.get("payload") or "")[:200]
        shown = self.chat.message_payload("shopper", text, client_id=client_id[:64])
        await self.send_frame({"type": "ack", "client_id": client_id[:64], "id": shown["id"]})
        turn = await database_sync_to_async(self.chat.shopper)(kind, text=text, payload=payload)
        await self.send_turn(turn)

    async def send_turn(self, turn: preview.Turn):
        for node_id in turn.nodes:
            await self.send_frame({"type": "node", "id": node_id})
        for message in turn.messages:
            await self.send_frame({"type": "message", **message})
        for note in turn.notes:
            await self.send_frame({"type": "preview_note", "text": note})

    async def send_frame(self, frame: dict):
        await self.send(text_data=json.dumps(frame, ensure_ascii=False, default=str))

    async def error(self, code: str, message: str, client_id: str = ""):
        frame = {"type": "error", "code": code, "message": message}
        if client_id:
            frame["client_id"] = client_id[:64]
        await self.send_frame(frame)
