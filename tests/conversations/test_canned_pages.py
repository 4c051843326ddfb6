"""Canned responses in the dashboard and the REST API: owners and admins manage them, agents read them."""

from conversations.models import CannedResponse
from tests.conftest import logged_in


def test_an_admin_adds_edits_and_deletes_canned_responses_on_the_page(alice_admin, alice_store):
    client = logged_in(alice_admin)
    added = client.post("/s/alice/inbox/canned/", {"shortcut": "/returns", "text": "Free returns, {{ contact.first_name }}."})
    assert added.status_code == 302
    response = CannedResponse.objects.get(store=alice_store)
    assert response.shortcut == "returns"
    page = client.get("/s/alice/inbox/canned/").content.decode()
    assert 'value="returns"' in page and "Free returns" in page
    client.post(f"/s/alice/inbox/canned/{response.pk}/", {"shortcut": "refunds", "text": "Refunds take 5 days."})
    response.refresh_from_db()
    assert (response.shortcut, response.text) == ("refunds", "Refunds take 5 days.")
    refused = client.post("/s/alice/inbox/canned/", {"shortcut": "refunds", "text": "Again"})
    assert refused.status_code == 400 and "already a canned response" in refused.content.decode()
    client.post(f"/s/alice/inbox/canned/{response.pk}/delete/")
    assert not CannedResponse.objects.filter(store=alice_store).exists()


def test_agents_see_canned_responses_in_the_inbox_but_cannot_change_them(alice_agent, alice_store):
    CannedResponse.objects.create(store=alice_store, shortcut="hello", text="Hi <b>there</b>")
    client = logged_in(alice_agent)
    page = client.get("/s/alice/inbox/canned/").content.decode()
    assert "/hello" in page and "Hi &lt;b&gt;there&lt;/b&gt;" in page and "Add a canned response" not in page
    assert client.post("/s/alice/inbox/canned/", {"shortcut": "x", "text": "y"}).status_code == 403
    inbox = client.get("/s/alice/inbox/").content.decode()
    assert 'id="canned-data"' in inbox and "Hi \\u003Cb\\u003Ethere" in inbox  # JSON in the page, not HTML


def test_the_api_manages_canned_responses_by_role_and_store(alice_client, alice_agent, alice_store, bob_client):
    created = alice_client.post("/api/v1/s/alice/canned-responses/", {"shortcut": "returns", "text": "Free."},
                                content_type="application/json")  # fmt: skip
    assert created.status_code == 201 and created.json()["shortcut"] == "returns"
    response_id = created.json()["id"]
    duplicate = alice_client.post("/api/v1/s/alice/canned-responses/", {"shortcut": "returns", "text": "x"},
                                  content_type="application/json")  # fmt: skip
    assert duplicate.status_code == 400 and "shortcut" in duplicate.json()["errors"]
    broken = alice_client.patch(f"/api/v1/s/alice/canned-responses/{response_id}/", {"text": "{{ contact.x | nope }}"},
                                content_type="application/json")  # fmt: skip
    assert broken.status_code == 400
    changed = alice_client.patch(f"/api/v1/s/alice/canned-responses/{response_id}/", {"text": "Free, always."},
                                 content_type="application/json")  # fmt: skip
    assert changed.json()["text"] == "Free, always."
    agent = logged_in(alice_agent)
    assert [r["shortcut"] for r in agent.get("/api/v1/s/alice/canned-responses/").json()["results"]] == ["returns"]
    assert agent.delete(f"/api/v1/s/alice/canned-responses/{response_id}/").status_code == 403
    assert bob_client.get(f"/api/v1/s/bob/canned-responses/{response_id}/").status_code == 404
    assert alice_client.delete(f"/api/v1/s/alice/canned-responses/{response_id}/").status_code == 204


def test_the_store_export_includes_its_canned_responses_and_not_another_stores(alice_store, bob_store):
    from tenants import privacy

    CannedResponse.objects.create(store=alice_store, shortcut="hello", text="Hi!")
    CannedResponse.objects.create(store=bob_store, shortcut="bobs", text="Bob's")
    exported = privacy.export_store_data(alice_store)["conversations"]["canned_responses"]
    assert exported == [{"shortcut": "hello", "text": "Hi!"}]
