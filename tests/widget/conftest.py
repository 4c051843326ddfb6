import json

import pytest
from channels.testing import WebsocketCommunicator

from botplatform.asgi import application
from conversations.identity import customer_signature
from flows import services as flow_services
from tenants import services as tenant_services
from tests.flowkit import assistant_graph

ORIGIN = "https://shop.alice.example"


@pytest.fixture
def widget_store(alice_store):
    """Alice's store with the widget allowed on her shop and the assistant flow published."""
    store = tenant_services.update_store_settings(alice_store, allowed_origins=[ORIGIN])
    flow = flow_services.create_flow(store, name="Assistant", graph=assistant_graph())
    flow_services.publish_flow(flow)
    flow_services.make_default_flow(flow)  # over the starter flows a store gets once it is committed
    return store


class Widget:
    """One browser tab's socket."""

    def __init__(self, public_key: str, origin: str = ORIGIN):
        self.socket = WebsocketCommunicator(application, f"/ws/widget/{public_key}/", headers=[(b"origin", origin.encode())])

    async def connect(self) -> bool:
        connected, _ = await self.socket.connect()
        return connected

    async def send(self, **frame):
        await self.socket.send_to(text_data=json.dumps(frame))

    async def send_raw(self, text: str):
        await self.socket.send_to(text_data=text)

    async def receive(self, timeout: float = 5) -> dict:
        return json.loads(await self.socket.receive_from(timeout=timeout))

    async def receive_until(self, kind: str, timeout: float = 5) -> list[dict]:
        """Frames up to and including the first of ``kind``."""
        frames = []
        while not frames or frames[-1]["type"] != kind:
            frames.append(await self.receive(timeout))
        return frames

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.socket.receive_nothing(timeout=timeout)

    async def hello(self, **fields) -> dict:
        await self.send(type="hello", page={"url": "https://shop.alice.example/jackets", "title": "Jackets"}, **fields)
        frames = await self.receive_until("welcome")
        self.errors = [f for f in frames if f["type"] == "error"]
        return frames[-1]

    async def close(self):
        await self.socket.disconnect()


def signed(store, customer_id: str, **extra) -> dict:
    return {"id": customer_id, "signature": customer_signature(store, customer_id), **extra}
