"""What a node type gets and returns. Node modules are pure: they return what should happen; the engine does it.

A node module (``flows/nodes/<type>.py``) defines:

- ``Config``: a pydantic model of the node's settings (validates the graph; its JSON schema drives the builder).
- ``run(config, ctx) -> NodeResult``: decide what happens, from the config, the context and the shopper's input.
- optionally ``LABEL`` and ``CATEGORY`` (for the builder's palette), ``ports(config) -> list[str]`` (the named
  exits an edge can leave from; default ``["default"]``), ``waits_for_shopper(config) -> bool`` (the node can
  stop and wait for the shopper; a loop must pass through such a node; default False) and
  ``jump_targets(config) -> list[JumpTarget]`` (where the node jumps to, for validation; default none).
- for the builder: ``ICON`` (one of the builder's icon names: message, buttons, bag, input, branch, variable,
  split, jump, clock, globe, person, stop, tag, star, mail; unknown names show a dot), ``GROUP`` (palette
  group, when it differs from what ``CATEGORY`` implies) and ``PORTS_FROM`` (when ``ports`` names one exit per
  item of a list field by the item's ``id``, that field's name; ``PORTS_AFTER``: fixed exits that follow those).
  The module docstring's first paragraph is the palette's tooltip. A new node type needs nothing else to
  appear in the builder.

A node is entered with ``ctx.incoming is None``. If it returns ``wait_for_input=True`` the engine stops on it and
enters it again with the shopper's next message or postback in ``ctx.incoming`` (and the ``node_state`` it
returned last time). If it returns an ``effect`` whose ``resumes`` is true, the engine stops on it until the
conversation service has performed the effect, then enters it again with the outcome in ``ctx.effect_result``.
Otherwise the engine follows the edge leaving ``next`` (no edge there: the flow ends).

A misconfigured node or an impossible situation returns ``NodeResult(error="...")``: the engine logs it, says
something polite and ends the flow; ``run`` never raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

MAX_TEXT = 4000  # the longest text a shopper may send, and the longest reply a node may say


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Card:
    """A product card, as the widget protocol's ``cards`` entries."""

    product_id: str
    title: str
    price: Decimal | str
    currency: str
    image_url: str = ""
    url: str = ""
    in_stock: bool = True
    variant_id: str = ""
    variants: tuple[dict, ...] = ()  # for the widget's picker: {"id", "title", "price", "in_stock"}


@dataclass(frozen=True)
class Reply:
    """One bot message. ``text`` is plain text (never HTML); templating has already been applied."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    cards: tuple[Card, ...] = ()
    image_url: str = ""

    @classmethod
    def message(cls, text: str, buttons=(), cards=(), image_url: str = "") -> Reply:
        return cls(text=text, buttons=tuple(buttons), cards=tuple(cards), image_url=image_url)


@dataclass(frozen=True)
class Incoming:
    """What the shopper just did: typed a message, or pressed a button (``payload``)."""

    kind: str  # "message" | "postback"
    text: str = ""
    payload: str = ""


@dataclass(frozen=True)
class AnalyticsEvent:
    """An analytics event a node reports, e.g. ``button_clicked``, ``variant``, ``goal``, ``product_shown``.

    The engine adds the flow, version and node to it; ``data`` must be JSON-serialisable.
    """

    name: str
    data: Mapping[str, Any] = field(default_factory=dict)


# --- side effects: at most one per engine run; the conversation service performs it ---------------------


@dataclass(frozen=True)
class Effect:
    kind: ClassVar[str] = ""
    resumes: ClassVar[bool] = False  # True: the node is entered again with the outcome in ctx.effect_result


@dataclass(frozen=True)
class HttpCall(Effect):
    """Call an outside HTTP API (through the SSRF-safe client). Outcome in ``ctx.effect_result``:
    ``{"ok": bool, "status": int | None, "json": Any | None, "error": str}``."""

    kind: ClassVar[str] = "http"
    resumes: ClassVar[bool] = True
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    timeout: float = 10.0


@dataclass(frozen=True)
class WaitUntil(Effect):
    """Stop until ``due``; a beat sweep wakes the conversation. Outcome: ``{"woke": True}``."""

    kind: ClassVar[str] = "wait"
    resumes: ClassVar[bool] = True
    due: datetime


@dataclass(frozen=True)
class Handoff(Effect):
    """Give the conversation to the team: the bot stops answering until an agent hands it back."""

    kind: ClassVar[str] = "handoff"
    reason: str = ""


@dataclass(frozen=True)
class RecordRating(Effect):
    """Store the shopper's 1-5 rating of the conversation (the same service the inbox uses)."""

    kind: ClassVar[str] = "rating"
    rating: int
    comment: str = ""


@dataclass(frozen=True)
class CreateDiscount(Effect):
    """Create a unique, single-use percentage discount code on the shop's platform (only when the store allows
    it; the conversation service checks). Outcome: ``{"ok": bool, "code": str, "error": str}``."""

    kind: ClassVar[str] = "discount"
    resumes: ClassVar[bool] = True
    percent: int
    prefix: str = ""
    valid_days: int = 7


@dataclass(frozen=True)
class WatchRestock(Effect):
    """Record that the contact waits for a product (its platform id), or one variant, to be back in stock.
    Outcome: ``{"ok": bool, "in_stock": bool, "error": str}`` (``in_stock``: it can be bought now)."""

    kind: ClassVar[str] = "restock_watch"
    resumes: ClassVar[bool] = True
    product_id: str
    variant_id: str = ""


@dataclass(frozen=True)
class SaveLead(Effect):
    """Store an email and/or phone the shopper gave with their consent on the contact, and tell the store's
    webhooks (``lead.captured``). Outcome: ``{"ok": bool, "error": str}``."""

    kind: ClassVar[str] = "lead"
    resumes: ClassVar[bool] = True
    email: str = ""
    phone: str = ""
    consent: bool = False
    source: str = ""


@dataclass(frozen=True)
class JumpTarget:
    """Continue at ``node_id`` of this flow, or at ``node_id`` (or the start) of flow ``flow_id``."""

    flow_id: int | None = None
    node_id: str = ""


@dataclass
class NodeResult:
    replies: list[Reply] = field(default_factory=list)
    next: str | None = "default"  # the port whose edge to follow; None ends the flow here
    wait_for_input: bool = False
    node_state: dict[str, Any] = field(default_factory=dict)  # kept while waiting (e.g. tries so far)
    set_vars: dict[str, Any] = field(default_factory=dict)  # chat variables, read back as ``vars.<name>``
    set_contact: dict[str, Any] = field(default_factory=dict)  # "name", "email", "phone" or "attributes.<key>"
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    events: list[AnalyticsEvent] = field(default_factory=list)
    effect: Effect | None = None
    jump: JumpTarget | None = None
    error: str = ""  # a misconfiguration or impossible case, logged by the engine; the flow ends politely
    # The shopper's input was not answered by this node: the engine answers with its global fallback; if
    # wait_for_input is also true it stays on this node, else the flow ends.
    unhandled: bool = False


@dataclass
class NodeContext:
    """Everything a node may read. ``data`` is the personalization context: plain JSON values only
    (``contact``, ``customer``, ``orders``, ``cart``, ``page``, ``store``, ``vars``, ``entities``, ``intent``)."""

    node_id: str
    data: Mapping[str, Any]
    now: datetime
    incoming: Incoming | None = None
    node_state: Mapping[str, Any] = field(default_factory=dict)
    effect_result: Mapping[str, Any] | None = None
    contact_key: str = ""  # stable per contact (for sticky A/B splits)
    agents_online: bool = False
    render: Callable[[str], str] = str  # personalizes a text template against ``data`` (sandboxed)
    shop: Any = None  # read-only shop queries (search, recommendations, orders); None when not connected
    faq_answer: str = ""  # the answer (a template) of the FAQ entry the incoming message matched, if any
