"""The flow API the builder uses: drafts are validated when saved; versions are immutable; roll back works."""

import pytest

from flows.models import Flow, FlowVersion
from tests.flowkit import assistant_graph, edge, graph, node

BASE = "/api/v1/s/alice/flows/"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


@pytest.fixture
def flow(alice_client):
    response = post(alice_client, BASE, {"name": "Assistant", "graph": assistant_graph()})
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_first_flow_starts_with_a_greeting_and_is_the_default(alice_client):
    response = post(alice_client, BASE, {"name": "Welcome"})
    assert response.status_code == 201
    body = response.json()
    assert body["is_default"] is True and body["published_version"] is None
    assert body["graph"]["nodes"][0]["type"] == "send_message"
    second = post(alice_client, BASE, {"name": "FAQ"}).json()
    assert second["is_default"] is False


def test_an_invalid_draft_is_refused_with_errors_that_point_at_the_node_and_field(alice_client, flow):
    broken = graph(
        [node("hi", "send_message", text="Hi"), node("ask", "collect_input", kind="email", save_to="nowhere.x")],
        [edge("hi", "ask"), edge("ask", "ghost")],
    )
    response = patch(alice_client, f"{BASE}{flow['id']}/", {"graph": broken})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("The flow has")
    pointed = {(e["node"], e["field"]) for e in body["graph_errors"]}
    assert ("ask", "config.prompt") in pointed and ("ask", "config.save_to") in pointed
    assert Flow.objects.get(pk=flow["id"]).draft_graph == assistant_graph()  # nothing half-saved


def test_validate_answers_without_saving(alice_client, flow):
    looping = graph([node("a", "send_message", text="A"), node("j", "jump", node_id="a")], [edge("a", "j")])
    response = post(alice_client, f"{BASE}{flow['id']}/validate/", {"graph": looping})
    assert response.status_code == 200
    assert response.json()["valid"] is False and "never waits" in response.json()["errors"][0]["message"]
    assert post(alice_client, f"{BASE}{flow['id']}/validate/").json() == {"valid": True, "errors": []}


def test_publish_freezes_versions_and_roll_back_restores_one(alice_client, flow):
    url = f"{BASE}{flow['id']}/"
    v1 = post(alice_client, url + "publish/", {"note": "first"}).json()
    assert v1["number"] == 1 and v1["graph"] == assistant_graph()
    again = post(alice_client, url + "publish/")
    assert again.status_code == 200 and again.json()["id"] == v1["id"]  # nothing changed, no new version

    changed = assistant_graph()
    changed["nodes"][0]["config"]["text"] = "Hello again!"
    assert patch(alice_client, url, {"graph": changed}).status_code == 200
    v2 = post(alice_client, url + "publish/").json()
    assert v2["number"] == 2
    assert FlowVersion.objects.get(pk=v1["id"]).graph == assistant_graph()  # v1 untouched

    versions = alice_client.get(url + "versions/").json()["results"]
    assert [v["number"] for v in versions] == [2, 1] and versions[0]["published_by"] == "Alice"
    assert alice_client.get(url + f"versions/{v1['id']}/").json()["graph"] == assistant_graph()

    rolled = post(alice_client, url + "rollback/", {"version_id": v1["id"]}).json()
    assert rolled["published_version"]["number"] == 1 and rolled["graph"] == assistant_graph()


def test_a_version_of_another_flow_cannot_be_rolled_back_to(alice_client, flow):
    other = post(alice_client, BASE, {"name": "Other"}).json()
    version = post(alice_client, f"{BASE}{other['id']}/publish/").json()
    response = post(alice_client, f"{BASE}{flow['id']}/rollback/", {"version_id": version["id"]})
    assert response.status_code == 404


def test_bobs_flow_ids_are_not_found_in_alices_store(alice_client, bob_client, flow):
    bob_flow = post(bob_client, "/api/v1/s/bob/flows/", {"name": "Bob's"}).json()
    assert alice_client.get(f"{BASE}{bob_flow['id']}/").status_code == 404
    jump = graph([node("go", "jump", flow_id=bob_flow["id"])], [])
    response = patch(alice_client, f"{BASE}{flow['id']}/", {"graph": jump})
    assert response.status_code == 400 and response.json()["graph_errors"][0]["field"] == "config.flow_id"


def test_a_flow_another_flow_jumps_to_cannot_be_deleted(alice_client, flow):
    target = post(alice_client, BASE, {"name": "FAQ"}).json()
    assert patch(alice_client, f"{BASE}{flow['id']}/", {"graph": graph([node("go", "jump", flow_id=target["id"])], [])}).status_code == 200
    response = alice_client.delete(f"{BASE}{target['id']}/")
    assert response.status_code == 400 and "Assistant" in response.json()["detail"]
    assert alice_client.delete(f"{BASE}{flow['id']}/").status_code == 204


def test_make_default_moves_the_default(alice_client, flow):
    other = post(alice_client, BASE, {"name": "Other"}).json()
    assert post(alice_client, f"{BASE}{other['id']}/make-default/").json()["is_default"] is True
    assert Flow.objects.get(pk=flow["id"]).is_default is False


def test_the_builder_gets_every_node_type_with_its_form_schema(alice_client):
    palette = alice_client.get("/api/v1/s/alice/node-types/").json()
    by_type = {entry["type"]: entry for entry in palette}
    assert {"send_message", "buttons", "collect_input", "http_request", "handoff", "end"} <= set(by_type)
    assert "prompt" in by_type["collect_input"]["schema"]["required"]


def test_agents_cannot_edit_flows(agent_client, flow):
    assert agent_client.get(BASE).status_code == 403
    assert post(agent_client, f"{BASE}{flow['id']}/publish/").status_code == 403


def test_a_name_is_required(alice_client):
    response = post(alice_client, BASE, {"name": "  "})
    assert response.status_code == 400
