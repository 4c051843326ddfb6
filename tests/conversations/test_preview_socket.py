"""The builder's preview socket: the owner's session, the DRAFT through the real engine, a chosen context,
``node`` frames, and nothing stored."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from analytics.models import Event
from botplatform.asgi import application
from conversations.models import Contact, Conversation, Message
from flows import services
from tests.conftest import logged_in
from tests.flowkit import edge, graph, node

pytestmark = pytest.mark.django_db(transaction=True)


def greeting_flow() -> dict:
    return graph(
        [node("hi", "send_message", text='Hi {{ customer.first_name | default:"there" }} ({{ contact.segment }})! '
                                         'From {{ page.utm_source | default:"nowhere" }}, cart {{ cart.total }}.'),
         node("menu", "buttons", text="What now?", buttons=[{"id": "shop", "title": "Shop"}, {"id": "help", "title": "Help"}]),
         node("shop", "send_message", text="Here you go.")],
        [edge("hi", "menu"), edge("menu", "shop", "shop")],
    )  # fmt: skip


@pytest.fixture
def flow(alice, alice_store):
    return services.create_flow(alice_store, name="Greeting", graph=greeting_flow(), by=alice)


class Previewer:
    def __init__(self, cookie: str, flow_id: int, query: str = "", origin: str = "http://testserver"):
        headers = [(b"origin", origin.encode())]
        if cookie:
            headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
        path = f"/ws/preview/{flow_id}/" + (f"?{query}" if query else "")
        self.socket = WebsocketCommunicator(application, path, headers=headers)

    async def connect(self) -> bool:
        connected, _ = await self.socket.connect()
        return connected

    async def send(self, **frame):
        await self.socket.send_to(text_data=json.dumps(frame))

    async def frames_until(self, kind: str, timeout: float = 5) -> list[dict]:
        seen = []
        while True:
            seen.append(json.loads(await self.socket.receive_from(timeout=timeout)))
            if seen[-1]["type"] == kind:
                return seen


async def previewer(user, flow_id, query="", origin="http://testserver") -> Previewer:
    cookie = await sync_to_async(lambda: logged_in(user).cookies[settings.SESSION_COOKIE_NAME].value)() if user else ""
    return Previewer(cookie, flow_id, query, origin)


def _stored() -> tuple:
    return Contact.objects.count(), Conversation.objects.count(), Message.objects.count(), Event.objects.count()


async def test_the_draft_runs_as_a_returning_logged_in_customer_and_nothing_is_stored(alice, flow, alice_shop_mirror):
    before = await sync_to_async(_stored)()
    tab = await previewer(alice, flow.pk, "shopper=returning&customer=201&utm_source=instagram&cart=straw-hat")
    assert await tab.connect()
    await tab.send(type="hello", page={"url": "http://testserver/"})
    frames = await tab.frames_until("welcome")
    assert frames[-1]["preview"] is True
    frames = await tab.frames_until("message")
    frames += await tab.frames_until("message")
    nodes = [f["id"] for f in frames if f["type"] == "node"]
    messages = [f for f in frames if f["type"] == "message"]
    assert nodes == ["hi", "menu"]  # the chat now waits on the buttons
    assert messages[0]["text"] == "Hi Carol (returning)! From instagram, cart 25.00."
    assert [b["title"] for b in messages[1]["buttons"]] == ["Shop", "Help"]

    await tab.send(type="postback", client_id="c1", payload=messages[1]["buttons"][0]["payload"])
    frames = await tab.frames_until("message")
    assert frames[0] == {"type": "ack", "client_id": "c1", "id": frames[0]["id"]}
    assert [f["id"] for f in frames if f["type"] == "node"] == ["menu", "shop"]  # the button, then where it leads
    assert frames[-1]["text"] == "Here you go."
    await tab.socket.disconnect()
    assert await sync_to_async(_stored)() == before


async def test_it_runs_the_draft_not_the_published_version(alice, flow):
    await sync_to_async(services.publish_flow)(flow, by=alice)
    draft = greeting_flow()
    draft["nodes"][0]["config"]["text"] = "Draft greeting for {{ contact.segment }}"
    await sync_to_async(services.save_draft)(flow, graph=draft, revision=flow.draft_revision + 0)
    tab = await previewer(alice, flow.pk)
    assert await tab.connect()
    await tab.send(type="hello")
    frames = await tab.frames_until("message")
    assert frames[-1]["text"] == "Draft greeting for new"
    await tab.socket.disconnect()


async def test_an_invalid_draft_says_why_it_cannot_run(alice, flow):
    broken = greeting_flow()
    broken["edges"] = []  # "menu" and "shop" are now unreachable
    await sync_to_async(services.save_draft)(flow, graph=broken, revision=flow.draft_revision)
    tab = await previewer(alice, flow.pk)
    assert await tab.connect()
    await tab.send(type="hello")
    frames = await tab.frames_until("error")
    assert frames[-1]["code"] == "draft_invalid"
    assert {e["node"] for e in frames[-1]["errors"]} == {"menu", "shop"}
    await tab.socket.disconnect()


async def test_only_owners_and_admins_of_the_flows_store_may_preview(flow, alice_admin, alice_agent, bob, bob_store):
    assert not await (await previewer(None, flow.pk)).connect()
    assert not await (await previewer(bob, flow.pk)).connect()  # another store's owner: as if no such flow
    assert not await (await previewer(alice_agent, flow.pk)).connect()
    assert not await (await previewer(alice_admin, 999999)).connect()
    assert not await (await previewer(alice_admin, flow.pk, origin="https://evil.example")).connect()
    tab = await previewer(alice_admin, flow.pk)
    assert await tab.connect()
    await tab.socket.disconnect()


async def test_bad_frames_get_errors_and_the_socket_stays_open(alice, flow):
    tab = await previewer(alice, flow.pk)
    assert await tab.connect()
    await tab.socket.send_to(text_data="{nope")
    assert (await tab.frames_until("error"))[-1]["code"] == "bad_frame"
    await tab.send(type="message", client_id="x", text="hi")
    assert (await tab.frames_until("error"))[-1]["message"] == "Send hello first."
    await tab.send(type="hello")
    await tab.frames_until("welcome")
    await tab.send(type="message", client_id="y", text="   ")
    error = (await tab.frames_until("error"))[-1]
    assert error["client_id"] == "y" and error["message"] == "The message is empty."
    await tab.socket.disconnect()


async def test_side_effects_are_described_not_performed(alice, alice_store):
    flow = await sync_to_async(services.create_flow)(
        alice_store,
        name="Handoff",
        by=alice,
        graph=graph([node("wait", "wait", amount=30, unit="minutes"), node("human", "handoff")], [edge("wait", "human")]),
    )
    before = await sync_to_async(_stored)()
    tab = await previewer(alice, flow.pk)
    assert await tab.connect()
    await tab.send(type="hello")
    frames = await tab.frames_until("welcome")
    frames = await tab.frames_until("preview_note")
    frames += await tab.frames_until("preview_note")
    notes = [f["text"] for f in frames if f["type"] == "preview_note"]
    assert notes[0].startswith("Preview: the bot would wait 30 minute")
    assert notes[1] == "Preview: here the chat would go to your team's inbox."
    assert [f["id"] for f in frames if f["type"] == "node"] == ["wait", "wait", "human"]
    await tab.socket.disconnect()
    assert await sync_to_async(_stored)() == before
