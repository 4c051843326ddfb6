"""Real server processes sharing Redis: shoppers and replies meet across processes, and a killed server
loses nothing that was acknowledged."""

import asyncio
import json
import signal

import pytest
from websockets.asyncio.client import connect

from botplatform.celery import app
from tests.processes import free_port, start_server, start_worker, stop
from tests.widget.conftest import ORIGIN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cluster(widget_store):
    """Two ASGI server processes and one Celery worker, all on the test database and Redis."""
    ports = [free_port(), free_port()]
    processes = {"servers": [start_server(port) for port in ports], "worker": start_worker()}
    app.conf.task_always_eager = False
    try:
        yield ports, processes
    finally:
        app.conf.task_always_eager = True
        for process in [*processes["servers"], processes["worker"]]:
            output = stop(process)
            assert "Traceback" not in output, output


class Socket:
    def __init__(self, port: int, key: str):
        self.url, self.key = f"ws://127.0.0.1:{port}/ws/widget/{key}/", key

    async def __aenter__(self):
        self.ws = await connect(self.url, origin=ORIGIN, open_timeout=10)
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def send(self, **frame):
        await self.ws.send(json.dumps(frame))

    async def until(self, test, timeout: float = 20) -> list[dict]:
        """Frames up to the first one ``test`` accepts."""
        frames = []
        async with asyncio.timeout(timeout):
            while not frames or not test(frames[-1]):
                frames.append(json.loads(await self.ws.recv()))
        return frames


def bot_says(text):
    return lambda f: f["type"] == "message" and f["sender"] == "bot" and f["text"] == text


async def test_a_shopper_and_a_reply_from_another_process_reach_each_other(cluster, widget_store):
    (port_a, port_b), _ = cluster
    async with Socket(port_a, widget_store.public_key) as tab_a:
        await tab_a.send(type="hello")
        welcome = (await tab_a.until(lambda f: f["type"] == "welcome"))[-1]
        if len(welcome["messages"]) < 2:  # the greeting comes from the worker; it may still be on its way
            await tab_a.until(bot_says("What can I help you with?"))
        async with Socket(port_b, widget_store.public_key) as tab_b:
            await tab_b.send(type="hello", visitor_token=welcome["visitor_token"], last_message_id=10**12)
            await tab_b.until(lambda f: f["type"] == "welcome")
            await tab_a.send(type="postback", client_id="p1", payload="menu/sizes")
            ack = (await tab_a.until(lambda f: f["type"] == "ack"))[-1]
            # The worker's reply reaches the shopper on server A; the shopper's own message reaches tab B on server B.
            await tab_a.until(bot_says("How tall are you, in cm?"))
            echoed = await tab_b.until(lambda f: f["type"] == "message" and f["id"] == ack["id"])
            assert echoed[-1]["client_id"] == "p1"
            await tab_b.until(bot_says("How tall are you, in cm?"))


async def test_a_server_killed_right_after_an_ack_loses_nothing(cluster, widget_store):
    (port_a, _), processes = cluster
    stop(processes["worker"])  # nobody answers yet: the turn waits in the broker
    async with Socket(port_a, widget_store.public_key) as tab:
        await tab.send(type="hello")
        welcome = (await tab.until(lambda f: f["type"] == "welcome"))[-1]
        await tab.send(type="message", client_id="m1", text="do you ship to Canada?")
        ack = (await tab.until(lambda f: f["type"] == "ack"))[-1]
        processes["servers"][0].send_signal(signal.SIGKILL)
    processes["servers"][0].wait(timeout=10)  # gone, and its port with it, before the new one binds
    processes["servers"][0] = start_server(port_a)
    processes["worker"] = start_worker()
    async with Socket(port_a, widget_store.public_key) as tab:
        await tab.send(type="hello", visitor_token=welcome["visitor_token"], last_message_id=0)
        welcome = (await tab.until(lambda f: f["type"] == "welcome"))[-1]
        assert ack["id"] in [m["id"] for m in welcome["messages"]]
        history = [m["text"] for m in welcome["messages"]]
        if "I'm still learning" not in " ".join(history):
            await tab.until(lambda f: f["type"] == "message" and f["text"].startswith("I'm still learning"))
