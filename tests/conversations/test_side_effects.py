"""Side effects the engine asks for, carried out by the service: HTTP calls, broadcasts, privacy."""

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from analytics.models import Event
from conversations import services
from conversations.models import Contact, Message
from conversations.realtime import conversation_group
from tenants import privacy
from tests.conversations.conftest import Shopper, publish
from tests.flowkit import edge, graph, node


class OrderApi(BaseHTTPRequestHandler):
    """A store's own order-status API, as an HTTP node would call it."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        order = self.path.rsplit("/", 1)[-1]
        if order == "1042":
            body = json.dumps({"order": {"status": "shipped", "carrier": "UPS"}}).encode()
            self.send_response(200)
        else:
            body = b'{"error": "not found"}'
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def order_api(settings):
    server = ThreadingHTTPServer(("127.0.0.2", 0), OrderApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.2/32"]  # stands in for a public address
    yield f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def order_status_flow(base_url: str) -> dict:
    return graph(
        [node("ask", "collect_input", prompt="Your order number?", kind="number", save_to="vars.order"),
         node("call", "http_request", url=base_url + "/orders/{{ vars.order }}",
              save={"status": "order.status", "carrier": "order.carrier"}, save_status_to="http_status"),
         node("found", "send_message", text="Order {{ vars.order }} is {{ vars.status }} with {{ vars.carrier }}."),
         node("missing", "send_message", text="I couldn't find that order ({{ vars.http_status }}).")],
        [edge("ask", "call"), edge("call", "found", "success"), edge("call", "missing", "error")],
    )  # fmt: skip


def test_an_http_node_calls_the_stores_api_and_answers_with_what_it_said(alice_store, order_api, on_commit):
    publish(alice_store, order_status_flow(order_api))
    shopper = Shopper(alice_store, on_commit)
    assert shopper.say("1042") == ["Order 1042 is shipped with UPS."]
    assert shopper.refresh().pending_effect == {}
    assert shopper.say("hello") != []  # the flow ended; the bot still answers


def test_an_error_from_the_api_takes_the_error_exit(alice_store, order_api, on_commit):
    publish(alice_store, order_status_flow(order_api))
    shopper = Shopper(alice_store, on_commit)
    assert shopper.say("7") == ["I couldn't find that order (404)."]


def test_an_http_node_aimed_at_an_internal_address_is_refused(alice_store, settings, on_commit):
    settings.SAFE_HTTP_ALLOWED_NETWORKS = []
    publish(alice_store, order_status_flow("http://169.254.169.254/latest/meta-data"))
    shopper = Shopper(alice_store, on_commit)
    assert shopper.say("1") == ["I couldn't find that order ()."]


async def receive(layer, channel, timeout=3.0):
    try:
        return await asyncio.wait_for(layer.receive(channel), timeout)
    except TimeoutError:
        return None


def test_messages_are_broadcast_to_the_conversation_room_after_commit(alice_store, on_commit):
    publish(alice_store, graph([node("q", "buttons", text="Hi!", buttons=[{"id": "a", "title": "A"}])], []))
    shopper = Shopper(alice_store, on_commit)
    layer, group = get_channel_layer(), conversation_group(shopper.conversation)

    def post_before_commit():
        with on_commit(execute=False) as callbacks:
            services.post_shopper_message(shopper.conversation, text="hello", client_id="c-1")
        return callbacks

    def commit(callbacks):
        with on_commit(execute=True):  # the callbacks run, and those they add (the bot's turn) after them
            for callback in callbacks:
                callback()

    async def scenario():
        # One event loop for the channel layer; the database work runs back on the test's own thread.
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        try:
            callbacks = await sync_to_async(post_before_commit)()
            assert await receive(layer, channel, timeout=0.3) is None, "nothing is sent before the commit"
            await sync_to_async(commit)(callbacks)
            return await receive(layer, channel), await receive(layer, channel)
        finally:
            await layer.group_discard(group, channel)

    first, second = async_to_sync(scenario)()
    assert first["type"] == "conversation.message"
    assert first["payload"]["sender"] == "shopper" and first["payload"]["client_id"] == "c-1"
    assert second["payload"]["sender"] == "bot" and second["payload"]["id"] > first["payload"]["id"]


def test_a_shoppers_chats_are_exported_and_erased_on_request(alice_store, bob_store, on_commit):
    publish(alice_store, graph([node("ask", "collect_input", prompt="Email?", kind="email", save_to="contact.email")], []))
    shopper = Shopper(alice_store, on_commit)
    shopper.say("dana@example.com")
    at_bob = Contact.objects.create(store=bob_store, email="dana@example.com")

    exported = privacy.export_shopper_data(alice_store, privacy.Shopper(email="DANA@example.com"))["conversations"]
    assert [m["text"] for m in exported["conversations"][0]["messages"]] == ["Email?", "dana@example.com"]

    erased = privacy.erase_shopper_data(alice_store, privacy.Shopper(email="dana@example.com"))
    assert erased["conversations"] >= 3
    assert not Message.objects.filter(store=alice_store).exists()
    assert not Event.objects.filter(store=alice_store, contact_id=shopper.conversation.contact_id).exists()
    assert Contact.objects.filter(pk=at_bob.pk).exists()  # Bob's store keeps its own records
