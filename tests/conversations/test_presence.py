from conversations import presence
from tests.conversations.conftest import Shopper, publish
from tests.flowkit import graph, node


def test_agents_count_as_online_until_they_leave_or_their_heartbeat_expires(alice_store, bob_store, monkeypatch):
    assert not presence.agents_online(alice_store.pk)
    presence.mark_agent_online(alice_store.pk, 1)
    presence.mark_agent_online(alice_store.pk, 2)
    assert presence.agents_online(alice_store.pk) and not presence.agents_online(bob_store.pk)
    presence.mark_agent_offline(alice_store.pk, 1)
    assert presence.agents_online(alice_store.pk)
    later = presence.time.time() + presence.ONLINE_TTL + 1
    monkeypatch.setattr(presence.time, "time", lambda: later)
    assert not presence.agents_online(alice_store.pk)


def test_with_an_agent_online_the_handoff_connects_at_once(alice_store, on_commit):
    publish(alice_store, graph([node("human", "handoff", message="Connecting you with Agnes…")], []))
    presence.mark_agent_online(alice_store.pk, 7)
    shopper = Shopper(alice_store, on_commit)
    assert shopper.bot_texts() == ["Connecting you with Agnes…"]
    assert shopper.refresh().held_by == "agent"
