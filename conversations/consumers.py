"""The agents' socket: ``/ws/inbox/<store slug>/``, authenticated by the Django session.

Membership of the store is checked on connect and again on every frame; a teammate removed from the team
has their sockets closed at once (the removal is sent to their member group). The socket joins the store's
inbox group (conversations changing, new messages, private notes) and, per subscription, a conversation's
group for typing indicators. Every write is one service call in ``conversations/inbox.py``; broadcasts follow
its commit.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from conversations import canned, inbox, presence, queries
from conversations.realtime import conversation_group_name, member_group, store_group
from tenants.models import Membership, Store

REFUSED = 4403
MAX_FRAME_CHARS = 20_000
MAX_SUBSCRIPTIONS = 50


def _store_for(slug: str, user):
    if not user or not user.is_authenticated:
        return None
    return Store.objects.filter(slug=slug, memberships__user=user).first()


def _still_member(store_id: int, user_id: int) -> bool:
    return Membership.objects.filter(store_id=store_id, user_id=user_id).exists()


def _open(store, user, conversation_id):
    conversation = queries.access_conversation(store, conversation_id)
    inbox.mark_read(store, conversation.pk, user)
    return queries.summary(conversation), queries.conversation_history(store, conversation.pk)


def _int_or_none(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _client_id(frame) -> str:
    return frame.get("client_id") if isinstance(frame.get("client_id"), str) else ""


def _summary(conversation) -> dict:
    return queries.summary(conversation)


# Each agent action: (store, agent, conversation id, frame) -> what the ``done`` frame carries.
ACTIONS = {
    "take_over": lambda s, u, c, f: _summary(inbox.take_over(s, c, u, force=bool(f.get("force")))),
    "hand_back": lambda s, u, c, f: _summary(inbox.hand_back(s, c, u, flow_id=_int_or_none(f.get("flow_id")))),
    "resolve": lambda s, u, c, f: _summary(inbox.resolve_conversation(s, c, u, ask_rating=bool(f.get("ask_rating")))),
    "reopen": lambda s, u, c, f: _summary(inbox.reopen_conversation(s, c, u)),
    "assign": lambda s, u, c, f: _summary(inbox.assign_conversation(s, c, u, f.get("assignee_id"))),
    "snooze": lambda s, u, c, f: _summary(inbox.snooze_conversation(s, c, u, until=f.get("until"))),
    "unsnooze": lambda s, u, c, f: _summary(inbox.unsnooze_conversation(s, c, u)),
    "message": lambda s, u, c, f: {"id": inbox.reply(s, c, u, text=f.get("text"), client_id=_client_id(f)).pk},
    "note": lambda s, u, c, f: {"id": inbox.add_note(s, c, u, text=f.get("text")).pk},
    "send_products": lambda s, u, c, f: {"id": inbox.send_products(
        s, c, u, product_ids=f.get("product_ids"), text=f.get("text") or "", client_id=_client_id(f)).pk},
    "transcript": lambda s, u, c, f: {"email": inbox.send_transcript(s, c, u)},
    "expand": lambda s, u, c, f: {"text": canned.expand(s, c, f.get("shortcut"))},
    "read": lambda s, u, c, f: {"unread": inbox.mark_read(s, c, u, _int_or_none(f.get("message_id")))},
}  # fmt: skip


def _act(store, user, kind: str, frame: dict):
    if kind == "search_products":  # about the catalog, not a conversation
        return {"products": inbox.search_catalog(store, frame.get("q"))}
    cid = frame.get("conversation_id")
    if not isinstance(cid, int) or isinstance(cid, bool):
        raise ValidationError("Name the conversation by its id.", code="bad_frame")
    return ACTIONS[kind](store, user, cid, frame)


class InboxConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        slug = self.scope["url_route"]["kwargs"]["store_slug"]
        self.store = await database_sync_to_async(_store_for)(slug, self.user)
        if self.store is None:  # not signed in, an expired session, or not a member: nothing is revealed
            await self.close(code=REFUSED)
            return
        # The member group: removal from the team closes this socket at once (``member_removed``).
        self.groups_joined = {store_group(self.store.pk), member_group(self.store.pk, self.user.pk)}
        self.subscribed: set[int] = set()
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await database_sync_to_async(presence.mark_agent_online)(self.store.pk, self.user.pk)
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "store", None) is None:
            return
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        await database_sync_to_async(presence.mark_agent_offline)(self.store.pk, self.user.pk)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            return await self.error("bad_frame", "Frames are JSON text of at most 20,000 characters.")
        try:
            frame = json.loads(text_data)
        except ValueError:
            return await self.error("bad_frame", "That frame is not valid JSON.")
        kind = frame.get("type") if isinstance(frame, dict) else None
        if not await database_sync_to_async(_still_member)(self.store.pk, self.user.pk):
            await self.close(code=REFUSED)  # removed from the team since connecting
            return
        try:
            if kind == "subscribe":
                return await self.subscribe(frame.get("conversation_id"))
            if kind == "unsubscribe":
                return await self.unsubscribe(frame.get("conversation_id"))
            if kind == "typing":
                return await self.typing(frame)
            if kind == "heartbeat":
                return await database_sync_to_async(presence.mark_agent_online)(self.store.pk, self.user.pk)
            if isinstance(kind, str) and (kind in ACTIONS or kind == "search_products"):
                result = await database_sync_to_async(_act)(self.store, self.user, kind, frame)
                return await self.send_frame({"type": "done", "action": kind, "ref": frame.get("ref"), **result})
        except (Http404, PermissionDenied):
            return await self.error("not_found", "No such conversation.")
        except ValidationError as exc:
            return await self.error(exc.code or "invalid", exc.messages[0], frame.get("ref"))
        await self.error("unknown_type", "Unknown frame type.")

    async def subscribe(self, conversation_id):
        if not isinstance(conversation_id, int) or len(self.subscribed) >= MAX_SUBSCRIPTIONS:
            return await self.error("bad_frame", "Subscribe to a conversation by its id.")
        summary, history = await database_sync_to_async(_open)(self.store, self.user, conversation_id)
        group = conversation_group_name(self.store.pk, conversation_id)
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.add(group)
        self.subscribed.add(conversation_id)
        await self.send_frame({"type": "conversation", "conversation": summary, "messages": history})

    async def unsubscribe(self, conversation_id):
        if conversation_id in self.subscribed:
            group = conversation_group_name(self.store.pk, conversation_id)
            await self.channel_layer.group_discard(group, self.channel_name)
            self.groups_joined.discard(group)
            self.subscribed.discard(conversation_id)

    async def typing(self, frame):
        conversation_id = frame.get("conversation_id")
        if conversation_id not in self.subscribed:
            return await self.error("not_found", "Subscribe to the conversation first.")
        event = {
            "type": "conversation.typing", "payload": {"sender": "agent", "on": bool(frame.get("on"))},
            "from": self.channel_name, "conversation_id": conversation_id,
        }  # fmt: skip
        await self.channel_layer.group_send(conversation_group_name(self.store.pk, conversation_id), event)

    # --- events from the store's and the conversations' groups ---------------------------------

    async def conversation_message(self, event):
        pass  # the store group's ``inbox.activity`` carries every message with its conversation id

    async def conversation_changed(self, event):
        pass  # the store group's ``inbox.changed`` carries it, with the assignee

    async def inbox_changed(self, event):
        await self.send_frame({"type": "changed", "conversation": event["payload"]})

    async def conversation_typing(self, event):
        if event.get("from") != self.channel_name and event.get("conversation_id") in self.subscribed:
            await self.send_frame({"type": "typing", "conversation_id": event["conversation_id"], **event["payload"]})

    async def inbox_activity(self, event):
        await self.send_frame({"type": "message", **event["payload"]})

    async def inbox_read(self, event):
        await self.send_frame({"type": "read", **event["payload"]})

    async def member_removed(self, event):
        await self.close(code=REFUSED)  # removed from the team: nothing more reaches this socket

    async def inbox_note(self, event):
        await self.send_frame({"type": "message", **event["payload"]})

    async def send_frame(self, frame: dict):
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def error(self, code: str, message: str, ref=None):
        await self.send_frame({"type": "error", "code": code, "message": message, "ref": ref})
