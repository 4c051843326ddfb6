"""Proactive messages over the shopper's socket (Channels' communicator, the Redis channel layer)."""

import pytest
from asgiref.sync import sync_to_async

from analytics.models import Event
from tests.conversations.proactive_kit import flow_saying
from tests.widget.conftest import Widget

pytestmark = pytest.mark.django_db(transaction=True)



async def test_exit_intent_sends_a_proactive_message_to_the_socket(widget_store):
    await sync_to_async(flow_saying)(widget_store, "Wait! Free shipping today.", {"kind": "exit_intent", "display": "open"})
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.hello()
    await widget.send(type="event", name="exit_intent")
    frame = await widget.receive()
    assert frame["type"] == "message" and frame["sender"] == "bot" and frame["proactive"] == "open"
    assert frame["text"] == "Wait! Free shipping today."
    await widget.send(type="event", name="exit_intent")  # again: capped, so silence
    assert await widget.nothing(0.5)
    await widget.close()


async def test_a_reconnect_shows_the_proactive_message_in_history_with_its_mark(widget_store):
    await sync_to_async(flow_saying)(widget_store, "Scrolled far!", {"kind": "scroll", "percent": 50})
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello()
    await widget.send(type="event", name="scroll", data={"percent": 25})
    assert await widget.nothing(0.4)
    await widget.send(type="event", name="scroll", data={"percent": 75})
    assert (await widget.receive())["proactive"] == "teaser"
    await widget.close()
    again = Widget(widget_store.public_key)
    await again.connect()
    back = await again.hello(visitor_token=welcome["visitor_token"])
    assert back["messages"][-1]["text"] == "Scrolled far!" and back["messages"][-1]["proactive"] == "teaser"
    await again.close()


async def test_bad_event_data_gets_an_error_frame_and_the_socket_stays_open(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.hello()
    await widget.send(type="event", name="time_on_page", data={"seconds": "forever"})
    error = await widget.receive()
    assert error == {"type": "error", "code": "bad_frame", "message": "The time_on_page event needs seconds: a number."}
    await widget.send(type="event", name="added_to_cart", data={"product_id": "101"})
    assert (await widget.receive())["message"] == "The added_to_cart event needs variant_id: an id (text up to 64 characters)."
    await widget.send(type="event", name="popup_shown")
    assert (await widget.receive())["message"] == "Unknown event 'popup_shown'."
    await widget.send(type="event", name="product_clicked", data={"product_id": "101"})
    await widget.send(type="event", name="added_to_cart", data={"product_id": "101", "variant_id": "1011"})
    assert await widget.nothing(0.5)
    names = await sync_to_async(lambda: sorted(Event.objects.filter(store=widget_store).values_list("name", flat=True)))()
    assert "product_clicked" in names and "added_to_cart" in names
    await widget.close()


async def test_a_page_flooding_events_is_rate_limited(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.hello()
    for second in range(15):
        await widget.send(type="event", name="time_on_page", data={"seconds": second})
    await widget.send(type="done")  # answered with an error once every event before it was handled
    frames = await widget.receive_until("error", timeout=10)
    while frames[-1]["code"] != "unknown_type":
        frames += await widget.receive_until("error", timeout=10)
    limited = [f for f in frames if f.get("code") == "rate_limited"]
    assert limited and limited[0]["message"] == "Too many page events; that one was not recorded."
    stored = await sync_to_async(Event.objects.filter(store=widget_store, name="time_on_page").count)()
    assert stored == 15 - len(limited) and stored <= 11
    await widget.close()
