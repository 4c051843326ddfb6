"""The builder's API: autosaved drafts with revisions (409 on a stale save), templates, duplicate, import and
export, the palette's groups, and the catalog pickers."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from flows import services
from flows.models import Flow
from flows.nodes import GROUPS, NODE_TYPES
from tests.conftest import logged_in
from tests.flowkit import edge, graph, node

API = "/api/v1/s/alice/"


def greeting_then_menu() -> dict:
    return graph(
        [node("hi", "send_message", text="Hi {{ contact.first_name }}!"),
         node("menu", "buttons", text="What now?", buttons=[{"id": "shop", "title": "Shop"}])],
        [edge("hi", "menu")],
    )  # fmt: skip


@pytest.fixture
def flow(alice, alice_store):
    return services.create_flow(alice_store, name="Welcome", graph=greeting_then_menu(), by=alice)


def put_draft(client, flow_id, graph_, revision):
    return client.put(f"{API}flows/{flow_id}/draft/", {"graph": graph_, "revision": revision},
                      content_type="application/json")  # fmt: skip


def test_an_unfinished_draft_is_autosaved_and_its_problems_point_at_the_node_and_field(alice_client, flow):
    unfinished = greeting_then_menu()
    unfinished["nodes"].append(node("loose", "send_message", text=""))
    response = put_draft(alice_client, flow.pk, unfinished, flow.draft_revision)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["revision"] == flow.draft_revision + 1
    problems = {(e["node"], e["field"]) for e in body["errors"]}
    assert ("loose", "config") in problems  # "Write a message or add an image."
    flow.refresh_from_db()
    assert flow.draft_graph == unfinished

    published = alice_client.post(f"{API}flows/{flow.pk}/publish/", {}, content_type="application/json")
    assert published.status_code == 400
    assert any(e["node"] == "loose" for e in published.json()["graph_errors"])
    assert not flow.versions.exists()


def test_a_save_on_a_stale_revision_gets_409_with_the_newer_draft_and_overwrites_nothing(
    alice_client, alice_admin, flow
):
    adam = logged_in(alice_admin)
    theirs = greeting_then_menu()
    theirs["nodes"][0]["config"]["text"] = "Adam's greeting"
    assert put_draft(adam, flow.pk, theirs, flow.draft_revision).status_code == 200

    mine = greeting_then_menu()
    mine["nodes"][0]["config"]["text"] = "Alice's greeting"
    response = put_draft(alice_client, flow.pk, mine, flow.draft_revision)  # the revision Alice opened
    assert response.status_code == 409
    body = response.json()
    assert "Adam changed this flow" in body["detail"]
    assert body["flow"]["graph"] == theirs
    assert body["flow"]["revision"] == flow.draft_revision + 1
    flow.refresh_from_db()
    assert flow.draft_graph["nodes"][0]["config"]["text"] == "Adam's greeting"

    # A rename with a stale revision through PATCH is refused the same way; with the current one it works.
    stale = alice_client.patch(
        f"{API}flows/{flow.pk}/", {"graph": mine, "revision": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    fresh = put_draft(alice_client, flow.pk, mine, body["flow"]["revision"])
    assert fresh.status_code == 200


def test_a_graph_that_is_not_a_graph_is_refused_and_changes_nothing(alice_client, flow):
    for broken in ({"nodes": "many"}, [1, 2], {"start": "a", "nodes": [{"id": "bad id!"}]}):
        response = put_draft(alice_client, flow.pk, broken, flow.draft_revision)
        assert response.status_code == 400, broken
        assert response.json()["detail"].startswith("The flow has")
    flow.refresh_from_db()
    assert flow.draft_graph == greeting_then_menu()


def test_rollback_moves_the_revision_on_so_an_open_editor_learns_of_it(alice_client, alice, flow):
    version = services.publish_flow(flow, by=alice)
    before = Flow.objects.get(pk=flow.pk).draft_revision
    response = alice_client.post(f"{API}flows/{flow.pk}/rollback/", {"version_id": version.pk},
                                 content_type="application/json")  # fmt: skip
    assert response.json()["revision"] == before + 1
    assert put_draft(alice_client, flow.pk, greeting_then_menu(), before).status_code == 409


def test_export_then_import_makes_an_unpublished_copy(alice_client, flow):
    exported = alice_client.get(f"{API}flows/{flow.pk}/export/")
    assert exported.status_code == 200
    assert 'filename="welcome.json"' in exported["Content-Disposition"]
    data = exported.json()
    assert data["format"] == "shopbot-flow/1" and data["graph"] == greeting_then_menu()
    response = alice_client.post(f"{API}flows/import/", data, content_type="application/json")
    assert response.status_code == 201
    copy = Flow.objects.get(pk=response.json()["id"])
    assert copy.name == "Welcome" and copy.draft_graph == flow.draft_graph and copy.published_version is None


def test_an_import_that_names_another_stores_flow_or_is_not_a_flow_changes_nothing(alice_client, bob, bob_store, flow):
    bobs = services.create_flow(bob_store, name="Bob's", by=bob)
    jumping = greeting_then_menu()
    jumping["nodes"].append(node("away", "jump", flow_id=bobs.pk))
    jumping["edges"].append(edge("menu", "away", "shop"))
    count = Flow.objects.count()
    response = alice_client.post(f"{API}flows/import/", {"name": "Stolen", "graph": jumping},
                                 content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert "flow that does not exist" in response.json()["detail"]
    for not_a_flow in ({"name": "x"}, {"format": "other/2", "graph": greeting_then_menu()}, ["graph"]):
        answer = alice_client.post(f"{API}flows/import/", not_a_flow, content_type="application/json")
        assert answer.status_code == 400, not_a_flow
        assert answer.json()["detail"]
    assert alice_client.post(f"{API}flows/import/", "{not json", content_type="application/json").status_code == 400
    assert Flow.objects.count() == count


def test_the_import_page_says_what_is_wrong_with_a_bad_file(alice_client, flow):
    count = Flow.objects.count()
    bad = SimpleUploadedFile("flow.json", b"{this is not json", content_type="application/json")
    response = alice_client.post("/s/alice/flows/import/", {"file": bad})
    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()
    good = SimpleUploadedFile("flow.json", json.dumps(services.export_flow(flow)).encode())
    response = alice_client.post("/s/alice/flows/import/", {"file": good})
    assert response.status_code == 302
    assert Flow.objects.count() == count + 1


def test_flows_start_from_a_template_and_can_be_duplicated(alice_client, flow):
    templates = alice_client.get(f"{API}starter-templates/").json()
    assert {t["key"] for t in templates} >= {"shop_assistant", "blank"}
    response = alice_client.post(f"{API}flows/", {"template": "shop_assistant"}, content_type="application/json")
    assert response.status_code == 201
    assistant = Flow.objects.get(pk=response.json()["id"])
    assert assistant.name == "Shop assistant"
    assert services.check_graph(assistant.store, assistant.draft_graph, flow_id=assistant.pk) == []
    assert alice_client.post(f"{API}flows/", {"template": "nope"}, content_type="application/json").status_code == 400

    page = alice_client.post("/s/alice/flows/new/", {"template": "blank", "name": "From scratch"})
    blank = Flow.objects.get(store=flow.store, name="From scratch")
    assert page.status_code == 302 and page["Location"] == f"/s/alice/flows/{blank.pk}/builder/"

    copy = alice_client.post(f"{API}flows/{flow.pk}/duplicate/").json()
    assert copy["name"] == "Copy of Welcome" and copy["graph"] == flow.draft_graph and copy["published_version"] is None


def test_every_node_type_is_in_a_palette_group_with_an_icon_and_its_exits(alice_client):
    palette = {t["type"]: t for t in alice_client.get(f"{API}node-types/").json()}
    assert set(palette) == set(NODE_TYPES)
    assert all(t["group"] in GROUPS and t["icon"] for t in palette.values())
    assert palette["buttons"]["group"] == "questions" and palette["buttons"]["ports"] == {"from": "buttons", "after": []}
    assert palette["condition"]["ports"] == ["true", "false"]
    assert palette["intent_router"]["ports"] == {"from": "routes", "after": ["faq", "none"]}  # a route's exits first
    assert palette["send_message"]["ports"] == ["default"] and palette["end"]["ports"] == []
    assert palette["handoff"]["group"] == "people" and palette["show_products"]["group"] == "shop"


def test_the_catalog_pickers_list_only_this_stores_catalog(alice_client, bob_client, alice_shop_mirror):
    products = alice_client.get(f"{API}catalog/products/?q=linen").json()
    assert [p["handle"] for p in products] == ["linen-shirt"]
    customers = alice_client.get(f"{API}catalog/customers/").json()
    assert [c["name"] for c in customers][:1] == ["Carol Example"]  # most orders first
    assert bob_client.get("/api/v1/s/bob/catalog/products/").json() == []
    assert bob_client.get("/api/v1/s/bob/catalog/customers/").json() == []


def test_the_builder_pages_are_for_owners_and_admins(alice_client, agent_client, flow):
    assert alice_client.get("/s/alice/flows/").status_code == 200
    page = alice_client.get(f"/s/alice/flows/{flow.pk}/builder/")
    assert page.status_code == 200 and b"flows/builder" in page.content
    frame = alice_client.get(f"/s/alice/flows/{flow.pk}/preview/?shopper=returning")
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert f"/ws/preview/{flow.pk}/?shopper=returning".encode() in frame.content
    assert agent_client.get(f"/s/alice/flows/{flow.pk}/builder/").status_code == 403
