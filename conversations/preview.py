"""The builder's preview: run a flow's DRAFT through the real engine, in memory, with a context the owner
chooses. Nothing is stored: no contact, conversation, message or analytics event comes from a preview.

The context mirrors ``conversations.context.build_context``: the same keys, filled from the owner's choices
(a new or a returning shopper, a synced customer as if logged in, the cart, the page and its UTM source).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.utils import timezone

from conversations.context import ORDERS_IN_CONTEXT, customer_data, order_data, store_data
from conversations.services import card_data
from conversations.shop import ShopReader
from flows import engine
from flows.engine import EngineContext, EngineEvent, LoadedFlow
from flows.graph import parse_graph
from flows.models import Flow
from flows.nodes.base import Handoff, HttpCall, RecordRating, WaitUntil
from flows.queries import flow_exists_in, load_published
from flows.understanding.serving import read_message
from integrations import queries as shop_queries
from tenants.models import Membership, Role

PREVIEW_VERSION_ID = 0  # the draft has no version; the engine only needs an id that no real version has
MAX_CART_ITEMS = 10


class PreviewRefused(Exception):
    """The draft cannot run (it is not valid yet): ``errors`` say why, as the builder shows them."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(errors[0]["message"] if errors else "The draft is not valid.")


def access_previewable_flow(flow_id: int, user) -> Flow | None:
    """The flow, when ``user`` is an owner or admin of its store; None for anything else (a missing flow and
    another store's answer alike)."""
    if user is None or not user.is_authenticated:
        return None
    roles = (Role.OWNER, Role.ADMIN)
    flow = Flow.objects.select_related("store").filter(pk=flow_id).first()
    if flow is None or not Membership.objects.filter(store=flow.store, user=user, role__in=roles).exists():
        return None
    return flow


def still_allowed(flow: Flow, user) -> bool:
    return Membership.objects.filter(store_id=flow.store_id, user=user, role__in=(Role.OWNER, Role.ADMIN)).exists()


@dataclass
class PreviewChoices:
    """What the owner picked in the preview panel (the socket's query string)."""

    returning: bool = False
    customer_id: str = ""
    page_url: str = ""
    utm_source: str = ""
    cart_handles: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: str) -> PreviewChoices:
        values = {k: v[0][:500] for k, v in parse_qs(query).items() if v}
        handles = [h.strip() for h in values.get("cart", "").split(",") if h.strip()][:MAX_CART_ITEMS]
        return cls(
            returning=values.get("shopper") == "returning", customer_id=values.get("customer", "").strip(),
            page_url=values.get("page_url", "").strip(), utm_source=values.get("utm_source", "").strip(),
            cart_handles=handles,
        )  # fmt: skip


def preview_context(flow: Flow, choices: PreviewChoices) -> dict[str, Any]:
    """The personalization context for a preview, shaped exactly as a real conversation's."""
    store = flow.store
    customer = shop_queries.get_customer_by_platform_id(store, choices.customer_id) if choices.customer_id else None
    orders = shop_queries.orders_of_customer(store, customer, limit=ORDERS_IN_CONTEXT) if customer else []
    returning = choices.returning or customer is not None
    name = customer.name if customer else ""
    contact = {
        "id": None, "name": name, "first_name": name.split(" ")[0] if name else "",
        "email": customer.email if customer else "", "phone": customer.phone if customer else "",
        "attributes": {}, "tags": [], "segment": _segment(returning, customer), "visits": 3 if returning else 1,
        "first_visit": not returning, "returning": returning, "first_seen": "",
    }  # fmt: skip
    return {
        "contact": contact,
        "store": store_data(store),
        "page": _page(choices),
        "cart": _cart(flow, choices.cart_handles),
        "customer": customer_data(customer) if customer else {},
        "orders": [order_data(order) for order in orders],
        "entities": {},
        "intent": "",
        "sentiment": {},
    }


def _segment(returning: bool, customer) -> str:
    if customer is not None and customer.orders_count >= 3:
        return "loyal"
    return "returning" if returning else "new"


def _page(choices: PreviewChoices) -> dict[str, Any]:
    url = choices.page_url
    if choices.utm_source:
        parts = urlsplit(url or "https://example.com/")
        query = "&".join(p for p in (parts.query, urlencode({"utm_source": choices.utm_source})) if p)
        url = parts._replace(query=query).geturl()
    page = {"url": url} if url else {}
    if choices.utm_source:
        page["utm_source"] = choices.utm_source
    return page


def _cart(flow: Flow, handles: list[str]) -> dict[str, Any]:
    if not handles:
        return {}
    items, total = [], Decimal(0)
    for handle in handles:
        product = shop_queries.get_product_by_handle(flow.store, handle)
        variant = product.variants.first() if product else None
        if variant is None:
            continue
        items.append({"product_id": product.platform_id, "variant_id": variant.platform_id, "quantity": 1,
                      "price": str(variant.price), "title": product.title})  # fmt: skip
        total += variant.price
    return {"items": items, "total": str(total), "currency": flow.store.currency} if items else {}


def load_draft(flow: Flow) -> LoadedFlow:
    """The flow's current draft, parsed for the engine; ``PreviewRefused`` when it is not valid."""
    flow.refresh_from_db(fields=["draft_graph", "draft_revision"])
    graph, errors = parse_graph(flow.draft_graph, flow_exists=flow_exists_in(flow.store), flow_id=flow.pk)
    if graph is None:
        raise PreviewRefused([e.as_dict() for e in errors])
    return LoadedFlow(flow_id=flow.pk, version_id=PREVIEW_VERSION_ID, graph=graph)


@dataclass
class Turn:
    """What one preview step produced, as widget protocol payloads plus the nodes entered."""

    messages: list[dict] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what would happen for real (a handoff, a wait)


class PreviewChat:
    """One preview conversation, held in memory by its socket."""

    def __init__(self, flow: Flow, choices: PreviewChoices):
        self.flow, self.choices = flow, choices
        self.draft = load_draft(flow)
        self.data = preview_context(flow, choices)
        self.state: dict[str, Any] | None = None
        self.ids = itertools.count(1)
        # The same pretend shopper gets the same A/B variants every time, as a real contact does.
        who = choices.customer_id or ("returning" if choices.returning else "new")
        self.visitor_key = f"preview-{flow.pk}-{who}"

    def message_payload(self, sender: str, text: str, **extra) -> dict:
        return {"id": next(self.ids), "sender": sender, "text": text, "created_at": timezone.now().isoformat(),
                **extra}  # fmt: skip

    def start(self) -> Turn:
        return self._feed(EngineEvent("start"))

    def shopper(self, kind: str, text: str = "", payload: str = "") -> Turn:
        return self._feed(EngineEvent(kind, text=text, payload=payload))

    def _feed(self, event: EngineEvent, turn: Turn | None = None, depth: int = 0) -> Turn:
        turn = turn or Turn()
        data, faq_answer = dict(self.data), ""
        if event.kind == "message":
            understood, faq_answer = read_message(self.flow.store, event.text)
            data.update(understood)
        store = self.flow.store
        ctx = EngineContext(
            data=data, now=timezone.now(), contact_key=self.visitor_key, faq_answer=faq_answer, agents_online=True,
            load_flow=lambda flow_id: self.draft if flow_id == self.flow.pk else load_published(store, flow_id),
            shop=ShopReader(store),
        )  # fmt: skip
        result = engine.run(self._flow_of_state(), self.state, event, ctx)
        self.state = result.state
        turn.nodes += result.trace
        turn.messages += [self.message_payload("bot", r.text, **_reply_extras(r)) for r in result.replies]
        self._apply_contact(result)
        if result.effect is not None and depth < 5:
            self._effect(result.effect, result.effect_id, turn, depth)
        return turn

    def _flow_of_state(self) -> LoadedFlow | None:
        """The draft, unless the chat jumped into another flow (which runs its published version)."""
        in_flow = (self.state or {}).get("flow_id")
        return self.draft if in_flow in (None, self.flow.pk) else load_published(self.flow.store, in_flow)

    def _apply_contact(self, result) -> None:
        contact = dict(self.data["contact"])
        for key, value in result.set_contact.items():
            if key.startswith("attributes."):
                contact["attributes"] = {**contact["attributes"], key.split(".", 1)[1]: value}
            else:
                contact[key] = value
        contact["tags"] = sorted((set(contact["tags"]) | set(result.add_tags)) - set(result.remove_tags))
        self.data = {**self.data, "contact": contact}

    def _effect(self, effect, effect_id: str, turn: Turn, depth: int) -> None:
        """Side effects are described, not performed: a preview calls no outside API, hands nothing to the
        team and stores no rating. A wait or a call resumes at once, as if it had finished."""
        if isinstance(effect, WaitUntil):
            minutes = max(0, round((effect.due - timezone.now()) / timedelta(minutes=1)))
            turn.notes.append(f"Preview: the bot would wait {minutes} minute(s) here; carrying on now.")
            self._feed(EngineEvent("effect_result", result={"woke": True}, effect_id=effect_id), turn, depth + 1)
        elif isinstance(effect, HttpCall):
            turn.notes.append(f"Preview: the bot would call {effect.method} {effect.url}; previews call nothing.")
            outcome = {"ok": False, "status": None, "json": None, "error": "Not called in a preview."}
            self._feed(EngineEvent("effect_result", result=outcome, effect_id=effect_id), turn, depth + 1)
        elif isinstance(effect, Handoff):
            turn.notes.append("Preview: here the chat would go to your team's inbox.")
        elif isinstance(effect, RecordRating):
            turn.notes.append(f"Preview: the shopper's rating ({effect.rating}) would be stored.")


def _reply_extras(reply) -> dict:
    extras: dict[str, Any] = {}
    if reply.buttons:
        extras["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    if reply.cards:
        extras["cards"] = [card_data(card) for card in reply.cards]
    if reply.image_url:
        extras["image_url"] = reply.image_url
    return extras
