"""Starter flows: valid graphs with their triggers; every new store (and the demo) gets them published.

Each one runs end to end on the demo shop's data in tests/conversations/test_starter_flows.py."""

from flows import services as flow_services
from flows.graph import parse_graph
from flows.models import Flow, Trigger
from flows.starters import STARTERS, install_starters, starter, starter_templates
from tenants import services as tenant_services

NAMES = [s.name for s in STARTERS]


def test_every_starter_graph_is_valid_and_lists_its_triggers_as_plain_dicts(alice_store):
    templates = starter_templates(alice_store)
    assert [t["key"] for t in templates][: len(STARTERS)] == [s.key for s in STARTERS]
    for template in templates:
        graph, errors = parse_graph(template["graph"])
        assert graph is not None and errors == [], (template["key"], errors)
        assert all(isinstance(t, dict) and t["kind"] for t in template["triggers"])
    assert starter("abandoned_cart").triggers == [
        {"kind": "cart_abandoned", "idle_minutes": 30, "priority": 10, "cap_per_day": 1}
    ]


def _triggers(store) -> dict:
    return {
        f.name: [(t.kind, t.config, t.priority, t.cap_per_day, t.enabled) for t in f.triggers.all()]
        for f in Flow.objects.filter(store=store).prefetch_related("triggers")
    }


def test_a_new_store_gets_each_starters_triggers_with_the_discount_ones_off(alice, on_commit):
    with on_commit(execute=True):
        store = tenant_services.create_store(alice, name="Carol's Candles")
    assert store.discount_codes_enabled is False
    assert _triggers(store) == {
        "Store assistant": [],
        # Both promise a discount code, which a new store does not let flows create: off until the owner says so.
        "Abandoned cart recovery": [("cart_abandoned", {"idle_minutes": 30}, 10, 1, False)],
        "First-order discount": [("widget_opened", {"audience": "first_visit"}, 30, 1, False)],
        "Picks for returning shoppers": [("widget_opened", {"audience": "returning"}, 20, 1, True)],
        "Order shipped update": [("order_fulfilled", {}, 5, 3, True)],
    }
    assert all(t.store_id == store.pk for t in Trigger.objects.filter(flow__store=store))


def test_a_store_that_allows_discount_codes_gets_every_starter_trigger_on(alice_store):
    alice_store.discount_codes_enabled = True
    alice_store.save(update_fields=["discount_codes_enabled"])
    install_starters(alice_store)
    triggers = _triggers(alice_store)
    assert triggers["Abandoned cart recovery"] == [("cart_abandoned", {"idle_minutes": 30}, 10, 1, True)]
    assert triggers["First-order discount"] == [("widget_opened", {"audience": "first_visit"}, 30, 1, True)]
    install_starters(alice_store)  # again: nothing added, no trigger doubled
    assert Trigger.objects.filter(store=alice_store).count() == 4


def test_a_flow_made_from_a_starter_template_gets_its_suggested_triggers(alice_client, alice_store):
    made = alice_client.post("/api/v1/s/alice/flows/", {"template": "returning_recommendations", "name": "Picks"},
                             content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.json()
    listed = alice_client.get(f"/api/v1/s/alice/flows/{made.json()['id']}/triggers/").json()
    assert listed["published"] is False  # they fire once the owner publishes the flow
    assert [(t["kind"], t["config"], t["enabled"]) for t in listed["triggers"]] == [
        ("widget_opened", {"audience": "returning"}, True)
    ]
    cart = alice_client.post("/api/v1/s/alice/flows/", {"template": "abandoned_cart", "name": "Cart"},
                             content_type="application/json")  # fmt: skip
    assert [t.enabled for t in Trigger.objects.filter(flow_id=cart.json()["id"])] == [False]


def test_a_new_store_gets_the_starters_published_with_the_store_assistant_as_default(alice, on_commit):
    with on_commit(execute=True):
        store = tenant_services.create_store(alice, name="Carol's Candles")
    flows = {f.name: f for f in Flow.objects.filter(store=store).select_related("published_version")}
    assert sorted(flows) == sorted(NAMES)
    assert all(f.published_version is not None for f in flows.values())
    assert flows["Store assistant"].is_default


def test_installing_again_adds_nothing_and_keeps_the_owners_default(alice_store):
    mine = flow_services.create_flow(alice_store, name="Mine")
    assert len(install_starters(alice_store)) == len(STARTERS)
    assert install_starters(alice_store) == []
    assert Flow.objects.filter(store=alice_store).count() == len(STARTERS) + 1
    assert Flow.objects.get(store=alice_store, is_default=True) == mine


def test_the_demo_store_has_the_starters_published_beside_its_shop_assistant(alice_store):
    from flows.demo import DEMO_FLOW, seed_demo_flows

    seed_demo_flows(alice_store)
    flows = {f.name: f for f in Flow.objects.filter(store=alice_store)}
    assert set(flows) == {DEMO_FLOW, *NAMES} and flows[DEMO_FLOW].is_default
    assert all(f.published_version_id for f in flows.values())
    assert set(Trigger.objects.filter(store=alice_store).values_list("flow__name", flat=True)) == set(NAMES[1:])


def test_the_builder_lists_the_starters_and_can_create_a_flow_from_one(alice_client, agent_client):
    templates = alice_client.get("/api/v1/s/alice/starter-templates/").json()
    assert [t["name"] for t in templates] == [*NAMES, "Shop assistant", "Blank flow"]
    cart = next(t for t in templates if t["key"] == "abandoned_cart")
    created = alice_client.post("/api/v1/s/alice/flows/", {"name": "My cart flow", "graph": cart["graph"]},
                                content_type="application/json")  # fmt: skip
    assert created.status_code == 201 and created.json()["graph"] == cart["graph"]
    assert agent_client.get("/api/v1/s/alice/starter-templates/").status_code == 403
