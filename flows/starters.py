"""Starter flows: what every new store gets, published, working on its synced shop from the first chat.

``STARTERS`` lists them: a key, a name, a description, a graph builder and the triggers that should start them
(plain dicts the triggers model reads: ``{"kind": "cart_abandoned", "idle_minutes": 30, "priority": 10,
"cap_per_day": 1}``). ``starter_templates(store)`` gives the builder the same graphs to start a flow from;
``install_starters(store)`` creates and publishes the ones a store does not have yet, with their triggers, so
the store assistant (the first flow of a new store) greets every new chat and the others start by themselves.

A starter whose point is a discount code (``needs_discount_codes``) gets its triggers disabled while the store
does not let flows create codes (``Store.discount_codes_enabled``, off by default): the flow would promise a
discount it cannot give. The owner turns codes on in the settings and the trigger on in the builder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from flows import services
from flows.graph import empty_graph
from flows.models import Flow
from flows.triggers.services import set_flow_triggers
from tenants.models import Store


def node(node_id: str, node_type: str, x: int, y: int, **config) -> dict:
    # Spaced for the builder, whose cards are 240 px wide.
    return {"id": node_id, "type": node_type, "config": config, "position": {"x": round(x * 1.4), "y": round(y * 1.5)}}


def edges(*triples) -> list[dict]:
    return [{"from": a, "port": port, "to": b} for a, port, b in triples]


SHIPPING_AND_RETURNS = (
    "Shipping: orders leave our warehouse within 1 to 2 business days; you'll get a tracking link by email.\n"
    "Returns: send back unused items within 30 days for a full refund — start from your order confirmation email."
)
MORE_ROUTES = [
    {"id": "yes", "button": "Something else"},
    {"id": "no", "button": "No, that's all"},
    {"id": "order", "intents": ["track_order"]},
    {"id": "policies", "intents": ["shipping", "returns_refunds"]},
    {"id": "human", "intents": ["talk_to_human", "complaint"]},
]


def store_assistant() -> dict:
    """Greets (by name for a returning customer), a menu that also understands typed questions, order status,
    product finding by collection or keyword, shipping & returns, a person; FAQs; "anything else?"; goodbye."""
    menu_routes = [
        {"id": "order", "intents": ["track_order"], "button": "Order status"},
        {"id": "find", "button": "Find a product"},
        {"id": "policies", "intents": ["shipping", "returns_refunds"], "button": "Shipping & returns"},
        {"id": "human", "intents": ["talk_to_human", "complaint"], "button": "Talk to us"},
    ]
    ways = [{"id": "collections", "title": "Browse collections"}, {"id": "keyword", "title": "Search by keyword"}]
    nodes = [
        node("known", "condition", 0, 0, rules=[{"value": "customer.first_name", "op": "is_set"}]),
        node("returning", "condition", 200, 100,
             rules=[{"value": "contact.returning", "op": "equals", "operand": "true"}]),
        node("hello_customer", "send_message", -200, 200,
             text="Welcome back, {{ customer.first_name }}! 👋 I'm {{ store.bot_name }}, here to help."),
        node("hello_returning", "send_message", 100, 200,
             text="Welcome back! 👋 I'm {{ store.bot_name }}, {{ store.name }}'s assistant."),
        node("hello_new", "send_message", 300, 200,
             text="Hi! 👋 I'm {{ store.bot_name }}, {{ store.name }}'s assistant."),
        node("menu", "intent_router", 0, 320, text="How can I help you today?", routes=menu_routes),
        node("order", "order_status", -450, 480),
        node("find", "buttons", -150, 480, text="How would you like to look?", buttons=ways),
        node("browse", "product_search", -250, 620, mode="collection", text="Here's a look at {{ vars.query }}:"),
        node("search", "product_search", -50, 620, mode="keyword", prompt="What are you looking for?"),
        node("policies", "send_message", 150, 480, text=SHIPPING_AND_RETURNS),
        node("human", "handoff", 350, 480),
        node("typed", "product_search", 550, 480, mode="keyword", query="{{ vars.question }}",
             text="Here's what I found for “{{ vars.query }}”:", empty_text=""),
        node("not_understood", "send_message", 550, 620,
             text="I'm not sure I got that. You can pick from the menu, or ask to talk to us."),
        node("nothing_found", "send_message", -150, 760,
             text="I couldn't find that. Try other words, or ask us — we're happy to help."),
        node("more", "intent_router", 0, 900, text="Anything else I can help with?", routes=MORE_ROUTES),
        node("bye", "end", 0, 1040, message="Thanks for stopping by — have a lovely day! 👋", ask_rating=True,
             rating_prompt="How helpful was this chat?"),
    ]  # fmt: skip
    graph_edges = edges(
        ("known", "true", "hello_customer"), ("known", "false", "returning"),
        ("returning", "true", "hello_returning"), ("returning", "false", "hello_new"),
        ("hello_customer", "default", "menu"), ("hello_returning", "default", "menu"), ("hello_new", "default", "menu"),
        ("menu", "order", "order"), ("menu", "find", "find"), ("menu", "policies", "policies"),
        ("menu", "human", "human"), ("menu", "faq", "more"), ("menu", "none", "typed"),
        ("order", "found", "more"), ("order", "not_found", "more"),
        ("find", "collections", "browse"), ("find", "keyword", "search"),
        ("browse", "found", "more"), ("browse", "none", "nothing_found"),
        ("search", "found", "more"), ("search", "none", "nothing_found"),
        ("typed", "found", "more"), ("typed", "none", "not_understood"),
        ("nothing_found", "default", "more"), ("not_understood", "default", "more"), ("policies", "default", "more"),
        ("more", "yes", "menu"), ("more", "no", "bye"), ("more", "order", "order"), ("more", "policies", "policies"),
        ("more", "human", "human"), ("more", "faq", "more"), ("more", "none", "typed"),
    )  # fmt: skip
    return {"start": "known", "nodes": nodes, "edges": graph_edges}


def abandoned_cart() -> dict:
    """Started when a cart sits idle: a reminder, then the cart back with a unique 10% code (when the store
    lets flows create codes; else without one)."""
    offer = [{"id": "yes", "title": "Yes, take me there"}, {"id": "no", "title": "No, thanks"}]
    nodes = [
        node("remind", "send_message", 0, 0, text="You left something in your cart 🛒 — it's saved for you."),
        node("offer", "buttons", 0, 120, text="Shall I take you back to checkout, with 10% off?", buttons=offer),
        node("link", "checkout_link", -150, 260, items="cart", discount="unique", percent=10, prefix="CART",
             valid_days=2, empty_text=""),
        node("empty", "send_message", 0, 400, text="Looks like your cart is empty now — happy browsing!"),
        node("later", "end", 150, 260, message="No problem — your cart will be here when you're ready."),
        node("done", "end", -150, 400, message="Any questions before you check out? Just ask."),
    ]  # fmt: skip
    graph_edges = edges(
        ("remind", "default", "offer"), ("offer", "yes", "link"), ("offer", "no", "later"),
        ("link", "default", "done"), ("link", "error", "done"), ("link", "empty", "empty"),
    )  # fmt: skip
    return {"start": "remind", "nodes": nodes, "edges": graph_edges}


def first_order_discount() -> dict:
    """A first visit: 10% off the first order for an email (with consent)."""
    nodes = [
        node("lead", "capture_lead", 0, 0, ask_for="email", source="first-order discount",
             consent_text="Welcome! 🎁 Would you like 10% off your first order? We'll also send you our news "
                          "(unsubscribe any time).",
             yes_title="Yes, I'd like that", no_title="No, thanks", thanks_text=""),
        node("code", "checkout_link", -150, 140, items="none", discount="unique", percent=10, prefix="WELCOME",
             valid_days=14, text="Here's your code: {{ vars.discount_code }} — it's applied when you open "
                                 "{{ vars.checkout_url }}"),
        node("declined", "end", 150, 140, message="No problem — happy browsing!"),
        node("failed", "end", 0, 140, message="Never mind — just ask me if you'd like the discount later."),
        node("bye", "end", -150, 280, message="Enjoy your shopping!"),
    ]  # fmt: skip
    graph_edges = edges(
        ("lead", "captured", "code"), ("lead", "declined", "declined"), ("lead", "failed", "failed"),
        ("code", "default", "bye"), ("code", "error", "bye"),
    )  # fmt: skip
    return {"start": "lead", "nodes": nodes, "edges": graph_edges}


def returning_recommendations() -> dict:
    """A returning visitor: picks from their orders and their cart, then best sellers."""
    after = [{"id": "thanks", "title": "Thanks!"}, {"id": "human", "title": "Talk to us"}]
    nodes = [
        node("hello", "send_message", 0, 0,
             text='Welcome back, {{ customer.first_name | default:"friend" }}! 👋 A few picks for you:'),
        node("picks", "recommendations", 0, 120, kind="personal", text="Picked for you:", limit=4),
        node("after", "buttons", 0, 240, text="See something you like? I'm here if you have questions.", buttons=after),
        node("human", "handoff", 150, 360),
        node("bye", "end", -150, 360, message="Happy shopping!"),
        node("nothing", "end", 150, 240, message="Ask me anything — I'm here to help."),
    ]  # fmt: skip
    graph_edges = edges(
        ("hello", "default", "picks"), ("picks", "found", "after"), ("picks", "empty", "nothing"),
        ("after", "thanks", "bye"), ("after", "human", "human"),
    )  # fmt: skip
    return {"start": "hello", "nodes": nodes, "edges": graph_edges}


def order_fulfilled() -> dict:
    """An order shipped: tell the customer (their newest order) with its tracking link."""
    after = [{"id": "thanks", "title": "Great, thanks!"}, {"id": "question", "title": "I have a question"}]
    nodes = [
        node("tracked", "condition", 0, 0, rules=[{"value": "orders.0.shipments.0.tracking_url", "op": "is_set"}]),
        node("with_link", "send_message", -150, 120,
             text='Good news, {{ customer.first_name | default:"there" }}! 📦 Your order {{ orders.0.name }} is on '
                  "its way with {{ orders.0.shipments.0.carrier }}. "
                  "Track it here: {{ orders.0.shipments.0.tracking_url }}"),
        node("without_link", "send_message", 150, 120,
             text='Good news, {{ customer.first_name | default:"there" }}! 📦 Your order {{ orders.0.name }} is on '
                  "its way."),
        node("after", "buttons", 0, 240, text="Anything I can help with?", buttons=after),
        node("bye", "end", -150, 360, message="Enjoy your order!"),
        node("human", "handoff", 150, 360),
    ]  # fmt: skip
    graph_edges = edges(
        ("tracked", "true", "with_link"), ("tracked", "false", "without_link"),
        ("with_link", "default", "after"), ("without_link", "default", "after"),
        ("after", "thanks", "bye"), ("after", "question", "human"),
    )  # fmt: skip
    return {"start": "tracked", "nodes": nodes, "edges": graph_edges}


@dataclass(frozen=True)
class Starter:
    key: str
    name: str
    description: str
    graph: Callable[[], dict]
    triggers: list[dict] = field(default_factory=list)
    needs_discount_codes: bool = False

    def trigger_specs(self, store: Store) -> list[dict]:
        """The triggers to store for ``store``: as suggested, disabled when they need codes the store refuses."""
        enabled = store.discount_codes_enabled or not self.needs_discount_codes
        return [{**spec, "enabled": enabled} for spec in self.triggers]


# The store assistant first: a new store's first flow is its default, the one every new chat starts in.
STARTERS: list[Starter] = [
    Starter("store_assistant", "Store assistant",
            "Greets by name, finds products and orders, answers FAQs, hands over to a person.", store_assistant),
    Starter("abandoned_cart", "Abandoned cart recovery", "Brings an idle cart back with a discount code.",
            abandoned_cart, [{"kind": "cart_abandoned", "idle_minutes": 30, "priority": 10, "cap_per_day": 1}],
            needs_discount_codes=True),
    Starter("first_order_discount", "First-order discount", "10% off the first order for an email, with consent.",
            first_order_discount,
            [{"kind": "widget_opened", "audience": "first_visit", "priority": 30, "cap_per_day": 1}],
            needs_discount_codes=True),
    Starter("returning_recommendations", "Picks for returning shoppers",
            "Welcomes a returning shopper back with personal recommendations.", returning_recommendations,
            [{"kind": "widget_opened", "audience": "returning", "priority": 20, "cap_per_day": 1}]),
    Starter("order_fulfilled", "Order shipped update", "Tells the customer their order is on its way, with tracking.",
            order_fulfilled, [{"kind": "order_fulfilled", "priority": 5, "cap_per_day": 3}]),
]  # fmt: skip


def starter(key: str) -> Starter | None:
    return next((s for s in STARTERS if s.key == key), None)


def starter_templates(store: Store) -> list[dict]:
    """What a new flow can start from, as {key, name, description, graph, triggers}: the starters, the demo's
    shop assistant (a tour of the node types) and a blank flow. Every graph is valid and publishable as is."""
    from flows.demo import assistant_graph  # the demo builds on this module

    templates = [
        {"key": s.key, "name": s.name, "description": s.description, "graph": s.graph(),
         "triggers": s.trigger_specs(store)}
        for s in STARTERS
    ]
    templates.append({
        "key": "shop_assistant", "name": "Shop assistant", "graph": assistant_graph(), "triggers": [],
        "description": "Greets by name, helps pick a size, answers shipping and returns, offers a discount for an "
        "email, shows what's new and hands over to a person.",
    })
    templates.append({
        "key": "blank", "name": "Blank flow", "description": "A single personalized greeting to build on.",
        "graph": empty_graph(), "triggers": [],
    })
    return templates  # fmt: skip


@transaction.atomic
def install_starters(store: Store) -> list[Flow]:
    """Create and publish the starters the store does not have yet (by name), each with its triggers (see the
    module's docstring for which are enabled); returns the flows created.

    A store with no flow yet gets the store assistant as its default flow. Running it again adds nothing.
    """
    Store.objects.select_for_update().filter(pk=store.pk).first()  # two installs at once must not both create
    have = set(Flow.objects.filter(store=store).values_list("name", flat=True))
    created = []
    for s in STARTERS:
        if s.name in have:
            continue
        flow = services.create_flow(store, name=s.name, description=s.description, graph=s.graph())
        services.publish_flow(flow, note="Starter flow")
        set_flow_triggers(flow, s.trigger_specs(store))
        created.append(flow)
    return created
