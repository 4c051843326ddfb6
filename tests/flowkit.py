"""Small builders for flow graphs in tests, and one realistic multi-step shop-assistant flow."""


def node(node_id: str, node_type: str, /, **config) -> dict:
    return {"id": node_id, "type": node_type, "config": config, "position": {"x": 0, "y": 0}}


def edge(source: str, target: str, port: str = "default") -> dict:
    return {"from": source, "port": port, "to": target}


def graph(nodes: list[dict], edges: list[dict], start: str | None = None) -> dict:
    return {"start": start or nodes[0]["id"], "nodes": nodes, "edges": edges}


def assistant_graph() -> dict:
    """Greets by name, offers a menu; tracks an order (asks email and order number) or gives size advice."""
    return graph(
        [
            node("welcome", "send_message", text='Hi {{ contact.name | default:"there" }}! I\'m {{ store.bot_name }}.'),
            node("menu", "buttons", text="What can I help you with?", buttons=[
                {"id": "track", "title": "Track my order"},
                {"id": "sizes", "title": "Size advice"},
                {"id": "human", "title": "Talk to a person"},
            ]),
            node("ask_email", "collect_input", prompt="What's the email on your order?", kind="email",
                 save_to="contact.email"),
            node("ask_order", "collect_input", prompt="And the order number?", kind="number", save_to="vars.order"),
            node("confirm", "send_message", text="Thanks! Looking up order #{{ vars.order }} for {{ contact.email }}."),
            node("ask_height", "collect_input", prompt="How tall are you, in cm?", kind="number", min=100, max=230,
                 save_to="vars.height"),
            node("check", "condition", rules=[{"value": "vars.height", "op": "greater_than", "operand": "180"}]),
            node("tall", "send_message", text="We'd suggest size L."),
            node("regular", "send_message", text="We'd suggest size M."),
            node("human", "handoff"),
            node("bye", "end", message="Anything else? Just write.", ask_rating=True),
        ],
        [
            edge("welcome", "menu"),
            edge("menu", "ask_email", "track"), edge("menu", "ask_height", "sizes"), edge("menu", "human", "human"),
            edge("ask_email", "ask_order"), edge("ask_order", "confirm"), edge("confirm", "bye"),
            edge("ask_height", "check"), edge("check", "tall", "true"), edge("check", "regular", "false"),
            edge("tall", "bye"), edge("regular", "bye"),
        ],
    )  # fmt: skip
