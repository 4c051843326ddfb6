"""The interpreter: walks a conversation through a flow graph. No writes, no network, no sockets.

``run(flow, state, event, ctx)`` is a plain function of the flow (a parsed, published graph), the
conversation's flow state (JSON), what just happened and the personalization context. It returns what the
bot says, what to store, the analytics events and at most one side effect; the conversation service
carries that out in one transaction and feeds the outcome of a side effect back in as a new event.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flows import nodes, templating
from flows.graph import Graph
from flows.nodes.base import Button, Effect, Incoming, NodeContext, NodeResult, Reply

logger = logging.getLogger(__name__)

STEP_LIMIT = 60
OFFER_HUMAN_AFTER = 2  # fallbacks in a row before the bot offers a person
UPSET_AFTER = 2  # strongly negative messages in a row before the bot offers a person
UPSET_TEXT = "I'm sorry this has been frustrating. Would you like to talk to a person?"
FALLBACK_TEXT = "I'm still learning — could you rephrase, or would you like to talk to a person?"
BROKEN_TEXT = "Sorry, something went wrong on my side. Could you try again, or ask for a person?"
TALK_TO_PERSON, KEEP_CHATTING = "@handoff", "@continue"
# Built-in nodes the engine can enter without the flow having them (the fallback's "talk to a person").
BUILTIN_NODES = {TALK_TO_PERSON: "handoff"}


@dataclass(frozen=True)
class LoadedFlow:
    flow_id: int
    version_id: int
    graph: Graph


@dataclass(frozen=True)
class EngineEvent:
    """``start`` (a conversation opened), ``message``, ``postback``, or ``effect_result`` (with ``effect_id``)."""

    kind: str
    text: str = ""
    payload: str = ""
    result: Mapping[str, Any] | None = None
    effect_id: str = ""


@dataclass
class EngineContext:
    data: Mapping[str, Any]  # personalization context, plain JSON; ``vars`` comes from the state
    now: datetime
    contact_key: str = ""
    agents_online: bool = False
    load_flow: Callable[[int], LoadedFlow | None] = lambda flow_id: None
    shop: Any = None
    faq_answer: str = ""  # the answer of the FAQ entry the message matched; the fallback gives it


@dataclass(frozen=True)
class FlowEvent:
    name: str
    data: Mapping[str, Any]
    flow_id: int | None
    version_id: int | None
    node_id: str


@dataclass
class EngineResult:
    replies: list[Reply] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    set_contact: dict[str, Any] = field(default_factory=dict)
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    events: list[FlowEvent] = field(default_factory=list)
    effect: Effect | None = None
    effect_id: str = ""
    trace: list[str] = field(default_factory=list)  # node ids entered, in order (the builder's preview)
    error: str = ""


def ended_state() -> dict[str, Any]:
    """The state keys that say no node is waiting (merge into a state to end its flow)."""
    return {"node": None, "awaiting": None, "node_state": {}, "effect_id": ""}


def new_state() -> dict[str, Any]:
    return {"flow_id": None, "version_id": None, "node": None, "awaiting": None, "node_state": {},
            "vars": {}, "fallbacks": 0, "effect_id": "", "upset": 0}  # fmt: skip


def run(
    flow: LoadedFlow | None, state: Mapping[str, Any] | None, event: EngineEvent, ctx: EngineContext
) -> EngineResult:
    """Advance the conversation by one event. ``flow`` is the flow the state is in (or the one to start)."""
    return _Run(flow, state, ctx).handle(event)


class _Run:
    def __init__(self, flow: LoadedFlow | None, state: Mapping[str, Any] | None, ctx: EngineContext):
        self.flow, self.ctx = flow, ctx
        self.state = {**new_state(), **(state or {})}
        self.state["vars"] = dict(self.state["vars"])
        self.contact = dict(ctx.data.get("contact") or {})
        self.out = EngineResult()
        if flow is not None and self.state["version_id"] != flow.version_id:
            self._enter_flow(flow)

    # --- entry points ---------------------------------------------------------------------------

    def handle(self, event: EngineEvent) -> EngineResult:
        if event.kind == "start":
            if self.flow is not None and self.state["node"] is None:
                self._walk(self.flow.graph.start)
        elif event.kind in ("message", "postback"):
            self._incoming(Incoming(kind=event.kind, text=event.text, payload=event.payload))
            if event.kind == "message":
                self._mood()
        elif event.kind == "effect_result":
            st = self.state
            if st["awaiting"] == "effect" and event.effect_id and event.effect_id == st["effect_id"]:
                self._walk(st["node"], effect_result=dict(event.result or {}), node_state=st["node_state"])
        self.out.state = self.state
        return self.out

    def _incoming(self, incoming: Incoming) -> None:
        st = self.state
        if incoming.payload == TALK_TO_PERSON:
            self._walk(TALK_TO_PERSON)
            return
        if incoming.payload == KEEP_CHATTING:
            st["fallbacks"] = 0
            self.out.replies.append(Reply.message("Sure — what can I help you with?"))
            return
        target = self._button_owner(incoming.payload)
        if target and target != st["node"]:
            self._walk(target, incoming=incoming)
        elif st["node"] and st["awaiting"] == "input":
            self._walk(st["node"], incoming=incoming, node_state=st["node_state"])
        else:
            self._fallback(incoming)

    def _button_owner(self, payload: str) -> str | None:
        """A button's payload is ``<node id>/<choice>``: a click on an older message goes back to its node."""
        node_id = payload.partition("/")[0] if "/" in payload else ""
        graph = self.flow.graph if self.flow else None
        if not node_id or graph is None or node_id not in graph.nodes:
            return None
        return node_id if nodes.waits_for_shopper(graph.module(node_id), graph.configs[node_id]) else None

    # --- walking --------------------------------------------------------------------------------

    def _walk(self, node_id: str | None, *, incoming=None, effect_result=None, node_state=None) -> None:
        steps = 0
        while node_id is not None:
            steps += 1
            if steps > STEP_LIMIT:
                self._broken(node_id, f"stopped after {STEP_LIMIT} steps without waiting for the shopper")
                return
            result = self._run_node(node_id, incoming, effect_result, node_state or {})
            if result is None:
                return
            node_id = self._after(node_id, result, incoming)
            incoming = effect_result = node_state = None

    def _run_node(self, node_id, incoming, effect_result, node_state) -> NodeResult | None:
        module, config = self._node(node_id)
        if module is None:
            self._broken(node_id, "the node is missing from the flow")
            return None
        if incoming is None and effect_result is None:
            self._event("node_entered", node_id, {"type": module.__name__.rsplit(".", 1)[-1]})
        self.out.trace.append(node_id)
        data = {**self.ctx.data, "contact": self.contact, "vars": self.state["vars"]}
        node_ctx = NodeContext(
            node_id=node_id, data=data, now=self.ctx.now, incoming=incoming, node_state=node_state,
            effect_result=effect_result, contact_key=self.ctx.contact_key, agents_online=self.ctx.agents_online,
            render=lambda text: templating.render(text, data), shop=self.ctx.shop,
            faq_answer=self.ctx.faq_answer if incoming is not None and incoming.kind == "message" else "",
        )  # fmt: skip
        try:
            return module.run(config, node_ctx)
        except Exception as exc:  # a node must not raise; if one does, the chat still gets an answer
            logger.exception("Node %s raised", node_id)
            self._broken(node_id, f"the node failed: {exc.__class__.__name__}")
            return None

    def _node(self, node_id: str):
        if node_id in BUILTIN_NODES:
            module = nodes.node_module(BUILTIN_NODES[node_id])
            return module, module.Config()
        graph = self.flow.graph if self.flow else None
        if graph is None or node_id not in graph.nodes:
            return None, None
        return graph.module(node_id), graph.configs[node_id]

    def _after(self, node_id: str, result: NodeResult, incoming: Incoming | None) -> str | None:
        """Carry out one node's result; returns the next node to enter, or None to stop."""
        st, out = self.state, self.out
        out.replies.extend(result.replies)
        st["vars"].update(result.set_vars)
        self._set_contact(result.set_contact)
        out.add_tags.extend(result.add_tags)
        out.remove_tags.extend(result.remove_tags)
        for event in result.events:
            self._event(event.name, node_id, event.data)
        if result.error:
            target = self._exit(node_id, result.next)
            if target is None:
                self._broken(node_id, result.error)
                return None
            # The node reported a problem but names a way out (an HTTP call's "error" exit): log it, go on.
            logger.error("Flow %s, node %s: %s", self.state["flow_id"], node_id, result.error)
            self._event("error", node_id, {"error": result.error})
            return target
        if result.unhandled:
            self._fallback(incoming)
            self._park(node_id, "input", result.node_state) if result.wait_for_input else self._end()
            return None
        if incoming is not None:
            st["fallbacks"] = 0
        if result.effect is not None:
            self._effect(node_id, result)
            return None
        if result.wait_for_input:
            self._park(node_id, "input", result.node_state)
            return None
        if result.jump is not None:
            return self._jump(node_id, result.jump)
        target = self._exit(node_id, result.next)
        if target is None:
            self._end()
        return target

    def _exit(self, node_id: str, port: str | None) -> str | None:
        return self.flow.graph.exits.get(node_id, {}).get(port) if (self.flow and port) else None

    def _effect(self, node_id: str, result: NodeResult) -> None:
        effect = result.effect
        self.out.effect = effect
        self.out.effect_id = uuid.uuid4().hex
        if effect.resumes:
            self._park(node_id, "effect", result.node_state)
            self.state["effect_id"] = self.out.effect_id
        else:  # a handoff or a rating ends the flow
            self._end()

    def _jump(self, node_id: str, jump) -> str | None:
        if jump.flow_id is None or (self.flow and jump.flow_id == self.flow.flow_id):
            return jump.node_id or self.flow.graph.start
        target = self.ctx.load_flow(jump.flow_id)
        if target is None:
            self._broken(node_id, f"the flow {jump.flow_id} it jumps to is not published")
            return None
        self._event("flow_jumped", node_id, {"to_flow": target.flow_id})
        self._enter_flow(target)
        return jump.node_id if jump.node_id in target.graph.nodes else target.graph.start

    # --- state ----------------------------------------------------------------------------------

    def _enter_flow(self, flow: LoadedFlow) -> None:
        self.flow = flow
        self.state.update(flow_id=flow.flow_id, version_id=flow.version_id, node=None, awaiting=None, node_state={})

    def _park(self, node_id: str, awaiting: str, node_state: Mapping[str, Any]) -> None:
        self.state.update(node=node_id, awaiting=awaiting, node_state=dict(node_state or {}))

    def _end(self) -> None:
        self.state.update(ended_state())

    def _set_contact(self, changes: Mapping[str, Any]) -> None:
        self.out.set_contact.update(changes)
        for key, value in changes.items():
            if key.startswith("attributes."):
                self.contact["attributes"] = {**(self.contact.get("attributes") or {}), key[11:]: value}
            else:
                self.contact[key] = value

    def _event(self, name: str, node_id: str, data: Mapping[str, Any]) -> None:
        flow = self.flow
        self.out.events.append(
            FlowEvent(name, dict(data), flow.flow_id if flow else None, flow.version_id if flow else None, node_id)
        )

    # --- when things go wrong -------------------------------------------------------------------

    def _fallback(self, incoming: Incoming | None) -> None:
        st = self.state
        if incoming is not None and incoming.kind == "message" and self.ctx.faq_answer:
            st["fallbacks"] = 0
            self._event("faq_answered", st["node"] or "", {"text": incoming.text[:200]})
            data = {**self.ctx.data, "contact": self.contact, "vars": st["vars"]}
            self.out.replies.append(Reply.message(templating.render(self.ctx.faq_answer, data)))
            return
        st["fallbacks"] += 1
        self._event("fallback", st["node"] or "", {"text": (incoming.text if incoming else "")[:200]})
        buttons = ()
        if st["fallbacks"] >= OFFER_HUMAN_AFTER:
            buttons = (Button("Talk to a person", TALK_TO_PERSON), Button("Keep chatting", KEEP_CHATTING))
        self.out.replies.append(Reply.message(FALLBACK_TEXT, buttons=buttons))

    def _mood(self) -> None:
        """Strong negativity, message after message: offer a person (once per streak)."""
        st = self.state
        upset = bool((self.ctx.data.get("sentiment") or {}).get("strongly_negative"))
        st["upset"] = st.get("upset", 0) + 1 if upset else 0
        handing_off = self.out.effect is not None and self.out.effect.kind == "handoff"
        if st["upset"] == UPSET_AFTER and not handing_off:
            self._event("upset", st["node"] or "", {})
            buttons = (Button("Talk to a person", TALK_TO_PERSON), Button("Keep chatting", KEEP_CHATTING))
            self.out.replies.append(Reply.message(UPSET_TEXT, buttons=buttons))

    def _broken(self, node_id: str, why: str) -> None:
        logger.error("Flow %s version %s, node %s: %s", self.state["flow_id"], self.state["version_id"], node_id, why)
        self.out.error = why
        self._event("error", node_id, {"error": why})
        self.out.replies.append(Reply.message(BROKEN_TEXT, buttons=(Button("Talk to a person", TALK_TO_PERSON),)))
        self._end()

