"""The inbox's services: takeover, hand-back, assign, resolve, notes, on the real PostgreSQL and Redis."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from analytics.models import Event
from conversations import inbox, sessions, turns
from conversations.models import HeldBy, Message, Sender, Status
from tenants.models import Role
from tests.conftest import make_member
from tests.conversations.conftest import Shopper, publish
from tests.flowkit import graph, node


def test_taking_over_stops_the_bot_and_handing_back_brings_it_back(alice_store, alice_agent, assistant, shopper):
    conversation = inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    assert conversation.held_by == HeldBy.AGENT and conversation.assignee == alice_agent
    assert shopper.say("Are you a person?") == []
    with shopper.on_commit(execute=True):
        inbox.reply(alice_store, conversation.pk, alice_agent, text="Yes, Agnes here.")
    inbox.hand_back(alice_store, conversation.pk, alice_agent)
    assert shopper.refresh().held_by == HeldBy.BOT and shopper.conversation.assignee is None
    assert shopper.say(payload="menu/sizes") == ["How tall are you, in cm?"]
    names = list(Event.objects.filter(conversation_id=conversation.pk).values_list("name", flat=True))
    assert {"takeover", "first_agent_reply", "hand_back"} <= set(names)


def test_handing_back_can_start_a_chosen_flow(alice_store, alice_agent, assistant, shopper, on_commit):
    survey = publish(alice_store, graph([node("ask", "send_message", text="How did we do today?")], []), name="Survey")
    inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    before = shopper.last_id()
    with on_commit(execute=True):
        inbox.hand_back(alice_store, shopper.conversation.pk, alice_agent, flow_id=survey.pk)
    assert shopper.bot_texts(after=before) == ["How did we do today?"]


def test_handing_back_into_another_stores_flow_is_refused(alice_store, bob_store, alice_agent, shopper):
    bobs = publish(bob_store, graph([node("ask", "send_message", text="Bob's secret")], []), name="Bob's")
    inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    with pytest.raises(ValidationError):
        inbox.hand_back(alice_store, shopper.conversation.pk, alice_agent, flow_id=bobs.pk)
    assert shopper.refresh().held_by == HeldBy.AGENT


def test_a_second_agent_cannot_reply_over_the_one_who_holds_it(alice_store, alice_agent, alice_admin, shopper):
    inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    with pytest.raises(ValidationError, match="Agnes holds this conversation"):
        inbox.take_over(alice_store, shopper.conversation.pk, alice_admin)
    with pytest.raises(ValidationError, match="Agnes holds this conversation"):
        inbox.reply(alice_store, shopper.conversation.pk, alice_admin, text="Me too")
    assert not Message.objects.filter(conversation=shopper.conversation, sender=Sender.AGENT).exists()
    inbox.take_over(alice_store, shopper.conversation.pk, alice_admin, force=True)
    inbox.reply(alice_store, shopper.conversation.pk, alice_admin, text="Adam here")
    assert shopper.refresh().assignee == alice_admin


def test_notes_are_kept_for_the_team_and_never_shown_to_the_shopper(alice_store, alice_agent, shopper):
    inbox.add_note(alice_store, shopper.conversation.pk, alice_agent, text="VIP, be nice")
    shown = sessions.messages_since(alice_store, shopper.conversation.pk)
    assert "VIP, be nice" not in [m["text"] for m in shown]
    assert sessions.messages_since(alice_store, shopper.conversation.pk, 0) == shown  # nor when catching up
    from conversations.queries import conversation_history

    assert conversation_history(alice_store, shopper.conversation.pk)[-1]["text"] == "VIP, be nice"


def test_resolving_then_a_shopper_message_reopens_it(alice_store, alice_agent, assistant, shopper):
    inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    inbox.resolve_conversation(alice_store, shopper.conversation.pk, alice_agent)
    assert shopper.refresh().status == Status.RESOLVED
    assert Event.objects.filter(conversation_id=shopper.conversation.pk, name="resolve").count() == 1
    shopper.say("one more thing")
    assert shopper.refresh().status == Status.OPEN
    assert Message.objects.filter(conversation=shopper.conversation, text="one more thing").exists()


def test_assigning_is_only_to_a_teammate_of_the_same_store(alice_store, bob, alice_agent, alice_admin, shopper):
    with pytest.raises(ValidationError):
        inbox.assign_conversation(alice_store, shopper.conversation.pk, alice_admin, bob.pk)
    inbox.assign_conversation(alice_store, shopper.conversation.pk, alice_admin, alice_agent.pk)
    assert shopper.refresh().assignee == alice_agent and shopper.conversation.held_by == HeldBy.AGENT


def test_another_stores_agent_cannot_touch_the_conversation(alice_store, bob_store, bob, shopper):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        inbox.take_over(bob_store, shopper.conversation.pk, bob)
    assert not inbox.takeover_pending(shopper.conversation.pk)  # nor does it quiet Alice's bot meanwhile
    with pytest.raises(PermissionDenied):
        inbox.add_note(bob_store, shopper.conversation.pk, bob, text="peek")
    assert shopper.refresh().held_by == HeldBy.BOT


# --- concurrency, on committed data ---------------------------------------------------------------


def _in_thread(target, *args, **kwargs):
    outcome = {}

    def run():
        try:
            outcome["value"] = target(*args, **kwargs)
        except Exception as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_two_agents_taking_over_at_once_exactly_one_wins(alice_store, alice_agent, alice_admin, on_commit):
    shopper = Shopper(alice_store, on_commit)
    barrier = threading.Barrier(2)

    def take(agent):
        barrier.wait()
        return inbox.take_over(alice_store, shopper.conversation.pk, agent)

    runs = [_in_thread(take, alice_agent), _in_thread(take, alice_admin)]
    for thread, _ in runs:
        thread.join(10)
    outcomes = [outcome for _, outcome in runs]
    assert sorted("value" in o for o in outcomes) == [False, True]
    winner = next(o["value"] for o in outcomes if "value" in o)
    assert shopper.refresh().assignee_id == winner.assignee_id
    assert Event.objects.filter(conversation_id=shopper.conversation.pk, name="takeover").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_bot_turn_already_running_when_an_agent_takes_over_sends_nothing(alice_store, alice_agent, on_commit):
    publish(alice_store, graph([node("hi", "send_message", text="Hello from the bot")], []))
    from conversations import services

    contact = services.get_or_create_contact(alice_store)
    with transaction.atomic():  # stored, but its greeting turn is started by hand below
        conversation = services.Conversation.objects.create(store=alice_store, contact=contact)
    locked, taking = threading.Event(), threading.Event()

    def bot_turn():
        with transaction.atomic():
            row = turns._lock(conversation.pk)  # the turn holds the row, as a worker's turn does
            locked.set()
            taking.wait(5)
            while not inbox.takeover_pending(conversation.pk):
                pass
            return turns._turn(row)

    turn_thread, _ = _in_thread(bot_turn)
    locked.wait(5)
    takeover_thread, result = _in_thread(inbox.take_over, alice_store, conversation.pk, alice_agent)
    taking.set()
    turn_thread.join(10)
    takeover_thread.join(10)
    assert "value" in result
    assert not Message.objects.filter(conversation=conversation, sender=Sender.BOT).exists()
    conversation.refresh_from_db()
    assert conversation.held_by == HeldBy.AGENT and conversation.assignee == alice_agent


def test_only_members_of_the_store_count(alice_store, bob):
    assert not inbox.is_member(alice_store, bob)
    assert inbox.is_member(alice_store, make_member(alice_store, "al@alice.example", "Al", Role.AGENT))


def test_handoffs_go_round_robin_to_online_agents_or_wait_for_one(alice_store, alice_agent, alice_admin, on_commit):
    from conversations import presence, services

    def handed_off():
        shopper = Shopper(alice_store, on_commit)
        services.hand_off(shopper.conversation, reason="asked for a person")
        return shopper.refresh()

    assert handed_off().assignee is None  # nobody online: it waits in "needs a human"
    presence.mark_agent_online(alice_store.pk, alice_agent.pk)
    presence.mark_agent_online(alice_store.pk, alice_admin.pk)
    assignees = [handed_off().assignee for _ in range(3)]
    assert assignees[0] != assignees[1] and assignees[0] == assignees[2]
    assert set(assignees) == {alice_agent, alice_admin}
    presence.mark_agent_offline(alice_store.pk, alice_agent.pk)
    presence.mark_agent_offline(alice_store.pk, alice_admin.pk)
    assert handed_off().assignee is None
