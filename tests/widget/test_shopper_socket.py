"""The shopper socket, frame by frame, through Channels' communicator and the Redis channel layer."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from conversations import services, sessions
from conversations.models import Contact, Conversation, Message, Sender
from tests.widget.conftest import ORIGIN, Widget, signed

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_wrong_store_key_or_origin_is_refused(widget_store):
    assert not await Widget("pk_nope").connect()
    assert not await Widget(widget_store.public_key, origin="https://evil.example").connect()
    assert not await Widget(widget_store.public_key, origin="").connect()
    widget = Widget(widget_store.public_key)
    assert await widget.connect()
    await widget.close()


async def test_hello_opens_a_conversation_and_the_bot_greets(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello()
    assert welcome["visitor_token"] and welcome["conversation"] == {"status": "open", "held_by": "bot"}
    assert [m["text"] for m in welcome["messages"]] == ["Hi there! I'm Assistant.", "What can I help you with?"]
    assert welcome["messages"][1]["buttons"][0] == {"title": "Track my order", "payload": "menu/track"}
    conversation = await sync_to_async(Conversation.objects.get)(pk=welcome["conversation_id"])
    assert conversation.store_id == widget_store.pk and conversation.context["page"]["title"] == "Jackets"
    await widget.close()


async def test_a_message_is_acked_once_stored_and_the_reply_follows(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.hello()
    await widget.send(type="postback", client_id="c1", payload="menu/sizes")
    ack = await widget.receive()
    assert ack["type"] == "ack" and ack["client_id"] == "c1"
    stored = await sync_to_async(Message.objects.get)(pk=ack["id"])
    assert stored.sender == Sender.SHOPPER and stored.text == "Size advice"
    reply = await widget.receive()
    assert reply["type"] == "message" and reply["sender"] == "bot" and reply["text"] == "How tall are you, in cm?"
    assert reply["id"] > ack["id"]
    assert await widget.nothing()  # its own message is not echoed back to it
    await widget.close()


async def test_a_resent_message_is_stored_once(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.hello()
    await widget.send(type="message", client_id="same", text="hello?")
    first = (await widget.receive_until("ack"))[-1]
    await widget.send(type="message", client_id="same", text="hello?")
    frames = await widget.receive_until("ack")
    assert frames[-1]["id"] == first["id"]
    count = await sync_to_async(Message.objects.filter(client_id="same").count)()
    assert count == 1
    await widget.close()


async def test_a_reconnect_gets_exactly_the_missed_messages_in_order(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello()
    last_seen = welcome["messages"][-1]["id"]
    await widget.close()

    conversation = await sync_to_async(Conversation.objects.get)(pk=welcome["conversation_id"])
    missed = []
    for client_id, text in (("a", "2"), ("b", "190")):
        message, _ = await sync_to_async(services.post_shopper_message)(conversation, text=text, client_id=client_id)
        missed.append(message.pk)

    again = Widget(widget_store.public_key)
    await again.connect()
    resumed = await again.hello(visitor_token=welcome["visitor_token"], last_message_id=last_seen)
    assert resumed["conversation_id"] == welcome["conversation_id"]
    ids = [m["id"] for m in resumed["messages"]]
    assert ids == sorted(ids) and all(i > last_seen for i in ids) and missed[0] == ids[0]
    assert [m["text"] for m in resumed["messages"]][:5] == [
        "2", "How tall are you, in cm?", "190", "We'd suggest size L.", "Anything else? Just write.",
    ]
    await again.close()


async def test_a_message_stored_between_history_and_joining_arrives_once(widget_store, monkeypatch):
    original = sessions.messages_since

    def history_with_a_message_landing_meanwhile(store, conversation_id, last_message_id=None):
        conversation = Conversation.objects.get(pk=conversation_id)
        services.post_agent_message(conversation, author=None, text="Hi, Agnes here!")
        return original(store, conversation_id, last_message_id)

    monkeypatch.setattr(sessions, "messages_since", history_with_a_message_landing_meanwhile)
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello()
    assert [m["text"] for m in welcome["messages"]][-1] == "Hi, Agnes here!"
    frames = []
    while not await widget.nothing(0.5):
        frames.append(await widget.receive())
    assert [f for f in frames if f["type"] == "message"] == []  # the group's copy was not sent again
    await widget.close()


async def test_a_forged_or_foreign_visitor_token_gets_a_new_visitor(widget_store, bob_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    first = await widget.hello()
    await widget.close()
    forged = first["visitor_token"][:-3] + "abc"
    for token in (forged, "nonsense", 42):
        other = Widget(widget_store.public_key)
        await other.connect()
        welcome = await other.hello(visitor_token=token)
        assert welcome["conversation_id"] != first["conversation_id"]
        await other.close()


async def test_a_signed_customer_is_linked_and_finds_their_chat_on_another_device(widget_store):
    laptop = Widget(widget_store.public_key)
    await laptop.connect()
    first = await laptop.hello(customer=signed(widget_store, "820982911946154508", email="dana@example.com"))
    assert laptop.errors == []
    contact = await sync_to_async(Contact.objects.get)(conversations__pk=first["conversation_id"])
    assert contact.platform_customer_id == "820982911946154508" and contact.email == "dana@example.com"
    await laptop.close()

    phone = Widget(widget_store.public_key)
    await phone.connect()
    second = await phone.hello(customer=signed(widget_store, "820982911946154508"))
    assert second["conversation_id"] == first["conversation_id"]
    assert [m["text"] for m in second["messages"]] == [m["text"] for m in first["messages"]]
    await phone.close()


async def test_a_wrong_signature_is_an_error_and_the_shopper_stays_anonymous(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello(customer={"id": "820982911946154508", "email": "dana@example.com", "signature": "0" * 64})
    assert [e["code"] for e in widget.errors] == ["identity_invalid"]
    contact = await sync_to_async(Contact.objects.get)(conversations__pk=welcome["conversation_id"])
    assert contact.platform_customer_id == "" and contact.email == ""
    await widget.send(type="identify", customer={"id": "820982911946154508", "signature": "f" * 64})
    assert (await widget.receive())["code"] == "identity_invalid"
    await widget.send(type="identify", customer=signed(widget_store, "820982911946154508"))
    assert (await widget.receive())["type"] == "identified"
    await widget.close()


async def test_a_store_that_requires_identity_refuses_unsigned_claims_but_still_chats(widget_store):
    await sync_to_async(type(widget_store).objects.filter(pk=widget_store.pk).update)(require_identity=True)
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello(customer={"id": "820982911946154508", "email": "dana@example.com"})
    assert [e["code"] for e in widget.errors] == ["identity_invalid"]
    assert welcome["messages"]  # anonymous, but greeted
    await widget.close()


@pytest.mark.parametrize(
    ("raw", "code"),
    [("{not json", "bad_frame"), ("[1, 2]", "bad_frame"), ('{"type": "teleport"}', "unknown_type"),
     ('{"type": "__class__"}', "unknown_type"), ('{"type": "message", "client_id": "x", "text": "' + "y" * 4001 + '"}', "too_large"),
     ('{"type": "message", "client_id": "x", "text": "\\u0000\\u0001"}', "bad_frame"),
     ('{"type": "message", "text": "no client id"}', "bad_frame"), ("x" * 20_001, "too_large"),
     ('{"type": "event", "name": "format_disk"}', "bad_frame")],
)  # fmt: skip
async def test_bad_frames_get_an_error_and_the_socket_stays_usable(widget_store, raw, code):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.hello()
    await widget.send_raw(raw)
    error = await widget.receive()
    assert error["type"] == "error" and error["code"] == code and error["message"]
    await widget.send(type="message", client_id="after", text="still there?")
    assert (await widget.receive_until("ack"))[-1]["client_id"] == "after"
    await widget.close()


async def test_frames_before_hello_are_refused(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.send(type="message", client_id="x", text="hi")
    assert (await widget.receive())["message"] == "Send hello first."
    await widget.close()


async def test_a_flood_is_rate_limited(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.hello()
    for _ in range(40):
        await widget.send(type="typing", on=True)
    frames = []
    while not await widget.nothing(0.3):
        frames.append(await widget.receive())
    assert any(f["type"] == "error" and f["code"] == "rate_limited" for f in frames)
    await widget.close()


async def test_page_events_are_stored_for_triggers(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello()
    cart = {"items": [{"product_id": "1", "variant_id": "2", "quantity": 1, "price": "49.00"}], "total": "49.00", "currency": "USD"}
    await widget.send(type="event", name="cart_updated", data={"cart": cart})
    await widget.send(type="event", name="page_view", data={"url": "https://shop.alice.example/socks", "title": "Socks"})
    await widget.send(type="attributes", attributes={"plan": "gold"})
    await widget.send(type="message", client_id="sync", text="hi")  # acked after the events were handled
    await widget.receive_until("ack")
    conversation = await sync_to_async(Conversation.objects.select_related("contact").get)(pk=welcome["conversation_id"])
    assert conversation.context["cart"] == cart and conversation.context["page"]["title"] == "Socks"
    assert conversation.contact.attributes == {"plan": "gold"}
    await widget.close()


async def test_another_tab_sees_the_shoppers_message_with_its_client_id(widget_store):
    tab1, tab2 = Widget(widget_store.public_key), Widget(widget_store.public_key)
    await tab1.connect()
    welcome = await tab1.hello()
    await tab2.connect()
    await tab2.hello(visitor_token=welcome["visitor_token"], last_message_id=welcome["messages"][-1]["id"])
    await tab1.send(type="message", client_id="from-tab-1", text="do you ship to Canada?")
    echo = await tab2.receive()
    assert echo["type"] == "message" and echo["client_id"] == "from-tab-1" and echo["sender"] == "shopper"
    await tab1.close()
    await tab2.close()


async def test_origin_matching_allows_the_configured_site_only(widget_store):
    assert ORIGIN.startswith("https://")
    widget = Widget(widget_store.public_key, origin=ORIGIN.replace("https", "http"))
    assert not await widget.connect()


async def test_on_a_shared_computer_another_customer_never_sees_the_first_ones_chat(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    first = await widget.hello(customer=signed(widget_store, "1001", email="first@example.com"))
    await widget.close()
    after_logout = Widget(widget_store.public_key)
    await after_logout.connect()
    anonymous = await after_logout.hello(visitor_token=first["visitor_token"])  # logged out: no claim
    assert anonymous["conversation_id"] != first["conversation_id"]
    await after_logout.close()
    second = Widget(widget_store.public_key)
    await second.connect()
    other = await second.hello(visitor_token=first["visitor_token"], customer=signed(widget_store, "2002"))
    assert other["conversation_id"] != first["conversation_id"]
    contact = await sync_to_async(Contact.objects.get)(conversations__pk=other["conversation_id"])
    assert contact.platform_customer_id == "2002" and contact.email == ""
    await second.close()


async def test_not_a_number_is_refused_with_the_client_id_of_the_frame(widget_store):
    widget = Widget(widget_store.public_key)
    await widget.connect()
    await widget.hello()
    await widget.send_raw('{"type": "attributes", "attributes": {"score": NaN}}')
    assert (await widget.receive())["code"] == "bad_frame"
    await widget.send(type="message", client_id="too-long", text="z" * 4001)
    error = await widget.receive()
    assert error["code"] == "too_large" and error["client_id"] == "too-long"
    await widget.close()


async def test_an_idle_socket_still_receives_after_the_layers_blocking_reads_time_out(widget_store):
    # channels-redis blocks 5 s per receive; redis-py 8 would time the read out at 5 s and kill the consumer.
    widget = Widget(widget_store.public_key)
    await widget.connect()
    welcome = await widget.hello()
    await asyncio.sleep(11)
    conversation = await sync_to_async(Conversation.objects.get)(pk=welcome["conversation_id"])
    await sync_to_async(services.post_agent_message)(conversation, author=None, text="Still there?")
    frames = await widget.receive_until("message", timeout=10)
    assert frames[-1]["text"] == "Still there?"
    await widget.close()
