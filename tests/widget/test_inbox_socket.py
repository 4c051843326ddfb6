"""The agents' socket, frame by frame, through Channels' communicator, the Django session and Redis."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from botplatform.asgi import application
from conversations import presence
from conversations.models import Conversation, HeldBy, Message
from tenants.models import Membership
from tests.conftest import logged_in
from tests.widget.conftest import Widget

pytestmark = pytest.mark.django_db(transaction=True)


class Agent:
    """One agent's inbox tab: their session cookie, and the page's own origin."""

    def __init__(self, cookie: str, slug: str, origin: str = "http://testserver"):
        headers = [(b"origin", origin.encode())]
        if cookie:
            headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
        self.socket = WebsocketCommunicator(application, f"/ws/inbox/{slug}/", headers=headers)

    async def connect(self) -> bool:
        connected, _ = await self.socket.connect()
        return connected

    async def send(self, **frame):
        await self.socket.send_to(text_data=json.dumps(frame))

    async def receive(self, timeout: float = 5) -> dict:
        return json.loads(await self.socket.receive_from(timeout=timeout))

    async def receive_until(self, kind: str, timeout: float = 5, **match) -> dict:
        while True:
            frame = await self.receive(timeout)
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.socket.receive_nothing(timeout)


def _session_cookie(user) -> str:
    return logged_in(user).cookies[settings.SESSION_COOKIE_NAME].value if user is not None else ""


async def agent_tab(user, slug: str, origin: str = "http://testserver") -> Agent:
    return Agent(await sync_to_async(_session_cookie)(user), slug, origin)


async def _shopper(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello()
    return widget, welcome["conversation_id"]


async def test_strangers_other_stores_and_other_sites_are_refused(widget_store, bob, bob_store, alice_agent):
    assert not await (await agent_tab(None, widget_store.slug)).connect()
    assert not await (await agent_tab(bob, widget_store.slug)).connect()
    assert not await (await agent_tab(alice_agent, widget_store.slug, origin="https://evil.example")).connect()
    assert not await (await agent_tab(alice_agent, "no-such-store")).connect()
    agent = await agent_tab(alice_agent, widget_store.slug)
    assert await agent.connect()
    assert await sync_to_async(presence.agents_online)(widget_store.pk)
    await agent.socket.disconnect()


async def test_an_agent_of_another_store_cannot_subscribe_to_or_write_a_conversation(widget_store, bob, bob_store):
    widget, conversation_id = await _shopper(widget_store)
    bobs = await agent_tab(bob, bob_store.slug)
    assert await bobs.connect()
    await bobs.send(type="subscribe", conversation_id=conversation_id)
    assert (await bobs.receive())["code"] == "not_found"
    await bobs.send(type="message", conversation_id=conversation_id, text="Hi from Bob")
    assert (await bobs.receive())["code"] == "not_found"
    await bobs.send(type="take_over", conversation_id=conversation_id)
    assert (await bobs.receive())["code"] == "not_found"
    await bobs.send(type="take_over", conversation_id=str(conversation_id))
    assert (await bobs.receive())["code"] == "bad_frame"
    assert await widget.nothing()
    assert not await sync_to_async(Message.objects.filter(conversation_id=conversation_id, text="Hi from Bob").exists)()
    await bobs.socket.disconnect()
    await widget.close()


async def test_takeover_replies_and_typing_flow_both_ways_and_notes_stay_private(widget_store, alice_agent):
    widget, conversation_id = await _shopper(widget_store)
    agent = await agent_tab(alice_agent, widget_store.slug)
    await agent.connect()
    await agent.send(type="subscribe", conversation_id=conversation_id)
    opened = await agent.receive_until("conversation")
    assert [m["sender"] for m in opened["messages"]] == ["bot", "bot"]
    await agent.send(type="take_over", conversation_id=conversation_id)
    changed = (await widget.receive_until("conversation"))[-1]
    assert changed["held_by"] == "agent" and changed["agent"]["name"] == "Agnes"
    await agent.send(type="typing", conversation_id=conversation_id, on=True)
    assert (await widget.receive_until("typing"))[-1] == {"type": "typing", "sender": "agent", "on": True}
    await agent.send(type="message", conversation_id=conversation_id, text="Hi, Agnes here", client_id="a1")
    reply = (await widget.receive_until("message"))[-1]
    assert reply["text"] == "Hi, Agnes here" and reply["sender"] == "agent"
    await widget.send(type="typing", on=True)
    typing = await agent.receive_until("typing")
    assert typing["sender"] == "shopper" and typing["conversation_id"] == conversation_id
    await widget.send(type="message", client_id="s1", text="Great, thanks")
    seen = await agent.receive_until("message", sender="shopper")
    assert seen["text"] == "Great, thanks" and seen["conversation_id"] == conversation_id
    await agent.send(type="note", conversation_id=conversation_id, text="Wants a refund")
    note = await agent.receive_until("message", sender="note")
    assert note["text"] == "Wants a refund"
    frames = []
    while not await widget.nothing(0.5):
        frames.append(await widget.receive())
    assert all(f.get("text") != "Wants a refund" for f in frames)
    assert all(f["type"] != "typing" or f["sender"] != "shopper" for f in frames)  # never echoed to the sender
    await agent.socket.disconnect()
    await widget.close()


async def test_a_second_agent_sees_who_holds_it_and_cannot_reply_over_them(widget_store, alice_agent, alice_admin):
    widget, conversation_id = await _shopper(widget_store)
    agnes, adam = await agent_tab(alice_agent, widget_store.slug), await agent_tab(alice_admin, widget_store.slug)
    await agnes.connect()
    await adam.connect()
    await agnes.send(type="take_over", conversation_id=conversation_id)
    changed = await adam.receive_until("changed")
    assert changed["conversation"]["agent"]["name"] == "Agnes"
    await adam.send(type="message", conversation_id=conversation_id, text="Adam too", ref="r1")
    refused = await adam.receive_until("error")
    assert refused["code"] == "held" and "Agnes" in refused["message"]
    await agnes.socket.disconnect()
    await adam.socket.disconnect()
    await widget.close()


async def test_a_removed_teammates_socket_is_closed_at_their_next_frame(widget_store, alice_agent):
    widget, conversation_id = await _shopper(widget_store)
    agent = await agent_tab(alice_agent, widget_store.slug)
    await agent.connect()
    await sync_to_async(Membership.objects.filter(user=alice_agent).delete)()
    await agent.send(type="subscribe", conversation_id=conversation_id)
    assert (await agent.socket.receive_output(5))["type"] == "websocket.close"
    await widget.close()


async def test_hand_back_lets_the_bot_answer_again(widget_store, alice_agent):
    widget, conversation_id = await _shopper(widget_store)
    agent = await agent_tab(alice_agent, widget_store.slug)
    await agent.connect()
    await agent.send(type="take_over", conversation_id=conversation_id)
    await agent.receive_until("done")
    await agent.send(type="hand_back", conversation_id=conversation_id)
    await agent.receive_until("done")
    assert (await widget.receive_until("conversation"))[-1]["held_by"] == "agent"
    assert (await widget.receive_until("conversation"))[-1]["held_by"] == "bot"
    await widget.send(type="postback", client_id="c9", payload="menu/sizes")
    answer = (await widget.receive_until("message"))[-1]
    assert answer["sender"] == "bot" and answer["text"] == "How tall are you, in cm?"
    conversation = await sync_to_async(Conversation.objects.get)(pk=conversation_id)
    assert conversation.held_by == HeldBy.BOT and conversation.assignee_id is None
    await agent.socket.disconnect()
    await widget.close()
