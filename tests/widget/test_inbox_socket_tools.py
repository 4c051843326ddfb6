"""The agents' socket beyond takeover: canned responses, product cards reaching the widget, snooze, unread
markers, sentiment, the rating prompt, and a removed teammate's socket closed at once."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from conversations.models import CannedResponse, Conversation
from tenants import services as tenant_services
from tenants.models import Membership
from tests.integrations.mirror_world import fill_mirror
from tests.widget.test_inbox_socket import _shopper, agent_tab

pytestmark = pytest.mark.django_db(transaction=True)


async def _opened(widget_store, user):
    widget, conversation_id = await _shopper(widget_store)
    agent = await agent_tab(user, widget_store.slug)
    assert await agent.connect()
    await agent.send(type="subscribe", conversation_id=conversation_id)
    await agent.receive_until("conversation")
    return widget, agent, conversation_id


async def test_a_canned_response_expands_for_the_shopper_and_product_cards_reach_the_widget(widget_store, alice_agent):
    await sync_to_async(fill_mirror)(widget_store)
    await sync_to_async(CannedResponse.objects.create)(
        store=widget_store, shortcut="returns", text='Hi {{ contact.name | default:"there" }}, returns are free.'
    )
    widget, agent, conversation_id = await _opened(widget_store, alice_agent)
    await agent.send(type="expand", conversation_id=conversation_id, shortcut="/returns", ref="e1")
    expanded = await agent.receive_until("done", ref="e1")
    assert expanded["text"] == "Hi there, returns are free."
    await agent.send(type="search_products", q="straw hat", ref="s1")
    found = await agent.receive_until("done", ref="s1")
    assert found["products"][0]["title"] == "Straw Hat"
    await agent.send(type="send_products", conversation_id=conversation_id, product_ids=[found["products"][0]["product_id"]],
                     client_id="p1")  # fmt: skip
    shown = (await widget.receive_until("message"))[-1]
    while shown["sender"] != "agent":
        shown = (await widget.receive_until("message"))[-1]
    assert shown["cards"][0]["title"] == "Straw Hat" and shown["cards"][0]["price"] == "25.00"
    await agent.send(type="send_products", conversation_id=conversation_id, product_ids=["nope"], ref="bad")
    assert (await agent.receive_until("error"))["code"] == "bad_products"
    await agent.send(type="expand", conversation_id=conversation_id, shortcut="missing", ref="m")
    assert (await agent.receive_until("error"))["code"] == "not_found"
    await agent.socket.disconnect()
    await widget.close()


async def test_shopper_messages_carry_sentiment_to_agents_only_and_unread_counts_reset_live(widget_store, alice_agent):
    widget, conversation_id = await _shopper(widget_store)
    agnes, other_tab = await agent_tab(alice_agent, widget_store.slug), await agent_tab(alice_agent, widget_store.slug)
    await agnes.connect()
    await other_tab.connect()
    await agnes.send(type="take_over", conversation_id=conversation_id)
    await agnes.receive_until("done")
    await widget.send(type="message", client_id="s1", text="This is awful, I hate waiting")
    seen = await agnes.receive_until("message", sender="shopper")
    assert seen["sentiment"]["label"] == "negative"
    echoed = await widget.receive_until("ack")
    assert all("sentiment" not in f for f in echoed)  # the shopper never sees how they were scored
    await agnes.send(type="read", conversation_id=conversation_id, message_id=seen["id"], ref="r")
    assert (await agnes.receive_until("done", ref="r"))["unread"] == 0
    told = await other_tab.receive_until("read")  # Agnes' other tab clears its badge too
    assert told == {"type": "read", "conversation_id": conversation_id, "unread": 0}
    await agnes.socket.disconnect()
    await other_tab.socket.disconnect()
    await widget.close()


async def test_snoozing_over_the_socket_tells_the_team_and_a_bad_time_is_refused(widget_store, alice_agent, alice_admin):
    widget, agent, conversation_id = await _opened(widget_store, alice_agent)
    adam = await agent_tab(alice_admin, widget_store.slug)
    await adam.connect()
    until = (timezone.now() + timedelta(hours=3)).isoformat()
    await agent.send(type="snooze", conversation_id=conversation_id, until=until, ref="z")
    done = await agent.receive_until("done", ref="z")
    assert done["snoozed_until"] is not None
    changed = await adam.receive_until("changed")
    assert changed["conversation"]["id"] == conversation_id and changed["conversation"]["snoozed_until"]
    await agent.send(type="snooze", conversation_id=conversation_id, until="next week", ref="bad")
    assert (await agent.receive_until("error"))["code"] == "bad_frame"
    await widget.send(type="message", client_id="w1", text="still there?")
    woke = await adam.receive_until("changed")
    assert woke["conversation"]["woke"] is True
    conversation = await sync_to_async(Conversation.objects.get)(pk=conversation_id)
    assert conversation.snoozed_until is None
    await agent.socket.disconnect()
    await adam.socket.disconnect()
    await widget.close()


async def test_resolving_with_a_rating_prompt_lets_the_shopper_rate_in_the_widget(widget_store, alice_agent):
    widget, agent, conversation_id = await _opened(widget_store, alice_agent)
    await agent.send(type="take_over", conversation_id=conversation_id)
    await agent.receive_until("done")
    await agent.send(type="resolve", conversation_id=conversation_id, ask_rating=True, ref="r")
    await agent.receive_until("done", ref="r")
    prompt = (await widget.receive_until("message"))[-1]
    while not prompt.get("buttons"):
        prompt = (await widget.receive_until("message"))[-1]
    assert [b["title"] for b in prompt["buttons"]] == ["★", "★★", "★★★", "★★★★", "★★★★★"]
    await widget.send(type="postback", client_id="rate", payload="inbox:rate:5")
    frames = await widget.receive_until("ack")
    while not any(f["type"] == "message" and f.get("sender") == "bot" for f in frames):
        frames.append(await widget.receive())
    conversation = await sync_to_async(Conversation.objects.get)(pk=conversation_id)
    assert conversation.rating == 5 and conversation.status == "resolved"
    await agent.socket.disconnect()
    await widget.close()


async def test_a_removed_teammates_sockets_close_at_once(widget_store, alice, alice_agent):
    agent = await agent_tab(alice_agent, widget_store.slug)
    assert await agent.connect()
    membership = await sync_to_async(Membership.objects.get)(store=widget_store, user=alice_agent)
    await sync_to_async(tenant_services.remove_member)(widget_store, membership, by=alice)
    # No frame from the agent: the removal itself closes the socket.
    assert (await agent.socket.receive_output(5))["type"] == "websocket.close"
