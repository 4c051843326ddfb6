"""The engine on plain data: no database, no network."""

import logging
from datetime import UTC, datetime

import pytest

from flows import engine
from flows.engine import EngineContext, EngineEvent, LoadedFlow
from flows.graph import parse_graph
from flows.nodes.base import Handoff, HttpCall, RecordRating
from tests.flowkit import assistant_graph, edge, graph, node

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def loaded(raw: dict, flow_id: int = 1, version_id: int = 10) -> LoadedFlow:
    parsed, errors = parse_graph(raw)
    assert not errors, errors
    return LoadedFlow(flow_id, version_id, parsed)


def context(**overrides) -> EngineContext:
    data = {"contact": {"name": "Dana", "email": ""}, "store": {"bot_name": "Nora", "name": "Northwind"}}
    return EngineContext(**{"data": data, "now": NOW, "contact_key": "visitor-1", **overrides})


class Chat:
    """Feeds events to the engine the way the conversation service does, keeping the state between turns."""

    def __init__(self, flow: LoadedFlow, **ctx):
        self.flow, self.state, self.ctx = flow, None, context(**ctx)

    def send(self, kind: str, text: str = "", payload: str = "", **extra) -> engine.EngineResult:
        result = engine.run(self.flow, self.state, EngineEvent(kind, text=text, payload=payload, **extra), self.ctx)
        self.state = result.state
        contact = dict(self.ctx.data["contact"])
        contact.update({k: v for k, v in result.set_contact.items() if "." not in k})
        self.ctx.data = {**self.ctx.data, "contact": contact}
        return result


def texts(result) -> list[str]:
    return [reply.text for reply in result.replies]


def test_it_greets_by_name_and_shows_the_menu():
    result = Chat(loaded(assistant_graph())).send("start")
    assert texts(result) == ["Hi Dana! I'm Nora.", "What can I help you with?"]
    assert [b.title for b in result.replies[1].buttons] == ["Track my order", "Size advice", "Talk to a person"]
    assert result.state["node"] == "menu" and result.state["awaiting"] == "input"
    assert [e.name for e in result.events] == ["node_entered", "node_entered"]
    assert all(e.flow_id == 1 and e.version_id == 10 for e in result.events)


def test_it_walks_a_whole_order_tracking_conversation():
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    assert texts(chat.send("postback", "Track my order", payload="menu/track")) == ["What's the email on your order?"]
    retry = chat.send("message", "dana at example")
    assert "email" in texts(retry)[0].lower() and chat.state["node"] == "ask_email"
    result = chat.send("message", "Dana@Example.com")
    assert result.set_contact == {"email": "dana@example.com"}
    assert texts(result) == ["And the order number?"]
    result = chat.send("message", "1042")
    assert texts(result)[0] == "Thanks! Looking up order #1042 for dana@example.com."
    assert chat.state["vars"] == {"order": 1042}
    assert chat.state["node"] == "bye"  # waiting for the rating
    rated = chat.send("postback", "4", payload="bye/4")
    assert isinstance(rated.effect, RecordRating) and rated.effect.rating == 4
    assert chat.state["node"] is None


def test_a_condition_picks_the_branch_from_what_the_shopper_said():
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    chat.send("message", "size advice")  # typed, not clicked
    assert texts(chat.send("message", "190"))[0] == "We'd suggest size L."
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    chat.send("message", "2")  # the button's number
    assert texts(chat.send("message", "170"))[0] == "We'd suggest size M."


def test_a_click_on_an_older_messages_button_goes_back_to_that_question():
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    chat.send("postback", payload="menu/sizes")
    result = chat.send("postback", payload="menu/track")  # the shopper changed their mind
    assert texts(result) == ["What's the email on your order?"]
    assert chat.state["node"] == "ask_email"


def test_what_no_node_handles_gets_the_fallback_and_repeated_fallbacks_offer_a_person():
    chat = Chat(loaded(assistant_graph()))
    chat.send("start")
    first = chat.send("message", "do you sell gift cards?")
    assert texts(first) == [engine.FALLBACK_TEXT] and not first.replies[0].buttons
    assert chat.state["node"] == "menu"  # still waiting for a choice
    second = chat.send("message", "gift cards??")
    assert [b.payload for b in second.replies[0].buttons] == [engine.TALK_TO_PERSON, engine.KEEP_CHATTING]
    assert [e.name for e in second.events] == ["fallback"]


def test_talk_to_a_person_hands_off_when_agents_are_online():
    chat = Chat(loaded(assistant_graph()), agents_online=True)
    chat.send("start")
    result = chat.send("postback", payload=engine.TALK_TO_PERSON)
    assert isinstance(result.effect, Handoff)
    assert "handoff" in [e.name for e in result.events]


def test_with_nobody_online_the_handoff_collects_an_email_first():
    chat = Chat(loaded(assistant_graph()), agents_online=False)
    chat.send("start")
    asked = chat.send("postback", payload="menu/human")
    assert asked.effect is None and "email" in texts(asked)[0].lower()
    done = chat.send("message", "dana@example.com")
    assert isinstance(done.effect, Handoff) and done.set_contact == {"email": "dana@example.com"}


def test_an_http_node_waits_for_the_outcome_and_ignores_a_stale_one():
    flow = loaded(graph(
        [node("call", "http_request", url="https://api.example.com/orders/{{ vars.order }}", save={"status": "status"}),
         node("ok", "send_message", text="Your order is {{ vars.status }}."),
         node("failed", "send_message", text="I couldn't look that up.")],
        [edge("call", "ok", "success"), edge("call", "failed", "error")],
    ))  # fmt: skip
    chat = Chat(flow)
    started = chat.send("start")
    assert isinstance(started.effect, HttpCall) and started.effect.url == "https://api.example.com/orders/"
    assert chat.state["awaiting"] == "effect"
    stale = chat.send("effect_result", result={"ok": True, "json": {"status": "shipped"}}, effect_id="old")
    assert stale.replies == [] and chat.state["awaiting"] == "effect"
    done = chat.send("effect_result", result={"ok": True, "status": 200, "json": {"status": "shipped"}},
                     effect_id=started.effect_id)  # fmt: skip
    assert texts(done) == ["Your order is shipped."]


def test_a_jump_continues_in_another_flow():
    other = loaded(graph([node("faq", "send_message", text="Here are our FAQs.")], []), flow_id=2, version_id=20)
    flow = loaded(graph([node("go", "jump", flow_id=2)], []))
    chat = Chat(flow, load_flow=lambda flow_id: other if flow_id == 2 else None)
    result = chat.send("start")
    assert texts(result) == ["Here are our FAQs."]
    assert chat.state["flow_id"] == 2 and result.events[-1].flow_id == 2


def test_a_loop_across_flows_is_stopped_by_the_step_limit_with_a_polite_message(caplog):
    a = loaded(graph([node("to_b", "jump", flow_id=2)], []), flow_id=1, version_id=10)
    b = loaded(graph([node("to_a", "jump", flow_id=1)], []), flow_id=2, version_id=20)
    chat = Chat(a, load_flow={1: a, 2: b}.get)
    with caplog.at_level(logging.ERROR, logger="flows.engine"):
        result = chat.send("start")
    assert texts(result) == [engine.BROKEN_TEXT]
    assert "steps" in result.error and "steps" in caplog.text
    assert chat.state["node"] is None


def test_a_node_that_raises_still_gets_the_shopper_an_answer(monkeypatch):
    from flows.nodes import send_message

    monkeypatch.setattr(send_message, "run", lambda config, ctx: 1 / 0)
    result = Chat(loaded(graph([node("hi", "send_message", text="Hi")], []))).send("start")
    assert texts(result) == [engine.BROKEN_TEXT] and "ZeroDivisionError" in result.error


@pytest.mark.parametrize("kind", ["message", "postback"])
def test_with_no_flow_published_the_bot_still_answers(kind):
    result = engine.run(None, None, EngineEvent(kind, text="hello", payload="x"), context())
    assert texts(result) == [engine.FALLBACK_TEXT]
