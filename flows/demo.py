"""The demo store's flows: a shop assistant that shows what the node types do, and the starter flows every
store gets. Used by ``seed_demo``."""

from flows import services
from flows.models import Flow
from flows.starters import edges as _edges
from flows.starters import install_starters
from flows.starters import node as _node
from tenants.models import Store

DEMO_FLOW = "Shop assistant"


def assistant_graph() -> dict:
    menu = [
        {"id": "sizes", "title": "Help me pick a size"},
        {"id": "shipping", "title": "Shipping & returns"},
        {"id": "new_in", "title": "Show me what's new"},
        {"id": "discount", "title": "Get 10% off"},
        {"id": "human", "title": "Talk to a person"},
    ]
    policies = [{"id": "shipping", "title": "Shipping times"}, {"id": "returns", "title": "Returns"}]
    nodes = [
        _node("split", "ab_split", 0, 0, experiment="Greeting tone", variants=[
            {"id": "friendly", "name": "Friendly", "weight": 50}, {"id": "direct", "name": "Direct", "weight": 50}]),
        _node("hello_friendly", "send_message", -200, 120,
              text='Hi {{ contact.first_name | default:"there" }}! 👋 I\'m {{ store.bot_name }}, '
                   "{{ store.name }}'s assistant."),
        _node("hello_direct", "send_message", 200, 120, text="Welcome to {{ store.name }}. How can I help?"),
        _node("menu", "buttons", 0, 240, text="What can I do for you?", buttons=menu),
        _node("ask_height", "collect_input", -450, 380, prompt="How tall are you, in centimetres?", kind="number",
              min=120, max=220, save_to="contact.attributes.height_cm"),
        _node("tall", "condition", -450, 500, rules=[
            {"value": "contact.attributes.height_cm", "op": "greater_than", "operand": "183"}]),
        _node("size_l", "send_message", -600, 620, text="Most shoppers your height pick L in our jackets."),
        _node("size_m", "send_message", -300, 620, text="Most shoppers your height pick M in our jackets."),
        _node("policies", "buttons", -150, 380, text="Which would you like to know?", buttons=policies),
        _node("shipping_info", "send_message", -250, 500,
              text="Orders ship within 1 business day; delivery takes 2 to 5 days. Over $75 it's free."),
        _node("returns_info", "send_message", -50, 500,
              text="You have 30 days to return anything unworn. Start a return from your order email."),
        _node("ask_email", "collect_input", 150, 380, prompt="Great! What's your email? I'll send the code there.",
              kind="email", save_to="contact.email"),
        _node("tag_lead", "set_variable", 150, 500, add_tags=["newsletter"],
              assignments=[{"target": "contact.attributes.discount_offered", "value": "WELCOME10"}]),
        _node("code", "send_message", 150, 620, text="Your code is WELCOME10 — it works on your first order."),
        _node("human", "handoff", 450, 380),
        _node("new_in_cards", "show_products", 650, 380, text="Fresh in this week:", source="newest", limit=6),
        _node("bye", "end", 0, 760, message="Anything else? Pick from the menu above, or ask for a person.",
              ask_rating=True, rating_prompt="How helpful was this chat?"),
    ]  # fmt: skip
    edges = _edges(
        ("split", "friendly", "hello_friendly"), ("split", "direct", "hello_direct"),
        ("hello_friendly", "default", "menu"), ("hello_direct", "default", "menu"),
        ("menu", "sizes", "ask_height"), ("menu", "shipping", "policies"), ("menu", "discount", "ask_email"),
        ("menu", "human", "human"), ("menu", "new_in", "new_in_cards"), ("new_in_cards", "default", "bye"),
        ("ask_height", "default", "tall"), ("tall", "true", "size_l"), ("tall", "false", "size_m"),
        ("size_l", "default", "bye"), ("size_m", "default", "bye"),
        ("policies", "shipping", "shipping_info"), ("policies", "returns", "returns_info"),
        ("shipping_info", "default", "bye"), ("returns_info", "default", "bye"),
        ("ask_email", "default", "tag_lead"), ("tag_lead", "default", "code"), ("code", "default", "bye"),
    )  # fmt: skip
    return {"start": "split", "nodes": nodes, "edges": edges}


def seed_demo_flows(store: Store) -> str:
    """Create (or refresh) the demo assistant, publish it and make it the default flow."""
    flow = Flow.objects.filter(store=store, name=DEMO_FLOW).first()
    if flow is None:
        flow = services.create_flow(store, name=DEMO_FLOW, description="Greets, sizes, policies, a discount.",
                                    graph=assistant_graph())  # fmt: skip
    else:
        flow = services.update_flow(flow, graph=assistant_graph())
    services.publish_flow(flow, note="Seeded for the demo")
    services.make_default_flow(flow)
    starters = install_starters(store)
    return (f"bot: the “{flow.name}” flow is published and greets every new chat"
            + (f"; {len(starters)} starter flows published with their triggers (see Flows → a flow → Triggers)"
               if starters else ""))
