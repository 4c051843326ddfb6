import pytest
from django.db import connection
from django.test import Client

from tenants import privacy, services
from tenants.models import ApiKey, Membership, Role, Store


def _key(store, role=Role.ADMIN):
    return services.create_api_key(store, name="script", role=role, created_by=None)[1]


def api(key):
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_an_api_key_is_shown_once_and_stored_only_as_a_hash(alice_client, alice_store):
    response = alice_client.post("/api/v1/s/alice/api-keys/", {"name": "Zapier"}, content_type="application/json")
    assert response.status_code == 201
    plain = response.json()["key"]
    assert plain.startswith("sbk_") and len(plain) > 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tenants_apikey")
        assert plain not in repr(cursor.fetchall())
    listed = alice_client.get("/api/v1/s/alice/api-keys/").json()["results"]
    assert [k["name"] for k in listed] == ["Zapier"] and "key" not in listed[0]
    assert api(plain).get("/api/v1/s/alice/").json()["name"] == "Alice's Apparel"


def test_a_revoked_key_is_refused_from_then_on(alice_client, alice_store):
    plain = _key(alice_store)
    key = ApiKey.objects.get()
    assert alice_client.delete(f"/api/v1/s/alice/api-keys/{key.pk}/").status_code == 204
    response = api(plain).get("/api/v1/s/alice/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked API key."}


def test_a_key_reaches_only_its_own_store(alice_store, bob_store):
    plain = _key(bob_store)
    assert api(plain).get("/api/v1/s/alice/").status_code == 404
    assert api(plain).get("/api/v1/s/bob/").status_code == 200


def test_a_key_cannot_use_account_endpoints(alice_store):
    response = api(_key(alice_store)).get("/api/v1/me/")
    assert response.status_code == 403


def test_an_agent_key_reads_but_cannot_change_settings(alice_store):
    client = api(_key(alice_store, role=Role.AGENT))
    assert client.get("/api/v1/s/alice/").status_code == 200
    response = client.patch("/api/v1/s/alice/", {"name": "Hacked"}, content_type="application/json")
    assert response.status_code == 403
    assert "owner or admin" in response.json()["detail"]
    assert Store.objects.get(pk=alice_store.pk).name == "Alice's Apparel"


def test_settings_changes_are_validated_with_field_errors_and_change_nothing(alice_client, alice_store):
    response = alice_client.patch(
        "/api/v1/s/alice/",
        {"brand_color": "red", "timezone": "Mars/Olympus", "allowed_origins": ["ftp://x"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Invalid input")
    assert set(body["errors"]) >= {"brand_color"}
    store = Store.objects.get(pk=alice_store.pk)
    assert store.brand_color == "#4F46E5" and store.timezone == "UTC" and store.allowed_origins == []


def test_settings_changes_are_saved_and_origins_normalised(alice_client, alice_store):
    response = alice_client.patch(
        "/api/v1/s/alice/",
        {"bot_name": "Ava", "allowed_origins": ["Shop.Example.com/", "https://*.example.org:443"], "timezone": "Europe/Berlin"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    store = Store.objects.get(pk=alice_store.pk)
    assert store.allowed_origins == ["https://shop.example.com", "https://*.example.org"]
    assert (store.bot_name, store.timezone) == ("Ava", "Europe/Berlin")


def test_a_slug_taken_by_another_store_is_refused(alice_client, alice_store, bob_store):
    response = alice_client.patch("/api/v1/s/alice/", {"slug": "bob"}, content_type="application/json")
    assert response.status_code == 400
    assert "taken" in response.json()["detail"]


def test_the_identity_secret_is_returned_once_and_encrypted_at_rest(alice_client, alice_store):
    response = alice_client.post("/api/v1/s/alice/identity-secret/")
    secret = response.json()["identity_secret"]
    assert "identity_secret" not in alice_client.get("/api/v1/s/alice/").json()
    assert Store.objects.get(pk=alice_store.pk).identity_secret == secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_secret FROM tenants_store WHERE id = %s", [alice_store.pk])
        assert secret not in cursor.fetchone()[0]


def test_a_new_widget_key_replaces_the_old(alice_client, alice_store):
    old = alice_store.public_key
    new = alice_client.post("/api/v1/s/alice/public-key/").json()["public_key"]
    assert new != old and Store.objects.get(pk=alice_store.pk).public_key == new


def test_only_owners_delete_a_store_and_everything_goes(alice_client, alice_admin, alice_store):
    admin = Client()
    admin.force_login(alice_admin)
    assert admin.delete("/api/v1/s/alice/").status_code == 403
    assert alice_client.delete("/api/v1/s/alice/").status_code == 204
    assert not Store.objects.filter(pk=alice_store.pk).exists()
    assert not Membership.objects.filter(store_id=alice_store.pk).exists()


def test_the_owner_exports_the_store(alice_client, alice_agent, alice_store):
    data = alice_client.get("/api/v1/s/alice/export/").json()
    assert data["tenants"]["store"]["name"] == "Alice's Apparel"
    assert {m["email"] for m in data["tenants"]["team"]} == {"alice@alice.example", alice_agent.email}


def test_members_api_changes_roles_with_the_same_rules_as_the_dashboard(alice_admin, alice, alice_store):
    admin = Client()
    admin.force_login(alice_admin)
    owner = Membership.objects.get(user=alice)
    response = admin.patch(f"/api/v1/s/alice/members/{owner.pk}/", {"role": "agent"}, content_type="application/json")
    assert response.status_code == 403 and "owner" in response.json()["detail"]
    response = admin.patch(f"/api/v1/s/alice/members/{owner.pk}/", {"role": "boss"}, content_type="application/json")
    assert response.status_code == 400 and "role" in response.json()["errors"]
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


def test_invitations_api_invites_and_lists(alice_client, alice_store, on_commit, mailoutbox):
    with on_commit(execute=True):
        response = alice_client.post(
            "/api/v1/s/alice/invitations/", {"email": "eve@example.com", "role": "agent"}, content_type="application/json"
        )
    assert response.status_code == 201
    assert [i["email"] for i in alice_client.get("/api/v1/s/alice/invitations/").json()["results"]] == ["eve@example.com"]
    assert mailoutbox[0].to == ["eve@example.com"]


def test_me_lists_my_stores_with_roles(alice_client, alice_store, bob_store, alice):
    Membership.objects.create(store=bob_store, user=alice, role=Role.AGENT)
    me = alice_client.get("/api/v1/me/").json()
    assert me["email"] == "alice@alice.example"
    assert {(s["slug"], s["role"]) for s in me["stores"]} == {("alice", "owner"), ("bob", "agent")}


def test_creating_a_store_over_the_api(alice_client, alice_store):
    response = alice_client.post("/api/v1/stores/", {"name": "Second Shop"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["slug"] == "second-shop"
    response = alice_client.post("/api/v1/stores/", {"name": "X", "slug": "alice"}, content_type="application/json")
    assert response.status_code == 400 and "taken" in response.json()["detail"]


def test_unknown_api_paths_answer_json(alice_client):
    response = alice_client.get("/api/v1/nothing-here/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_the_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/s/{store_slug}/members/" in schema.content
    assert client.get("/api/v1/docs/").status_code == 200


@pytest.fixture
def recorder():
    calls = []
    handler = privacy.PrivacyHandler(
        name="recorder",
        export_shopper=lambda store, shopper: {"store": store.slug, "email": shopper.email},
        erase_shopper=lambda store, shopper: calls.append((store.slug, shopper.email)) or 1,
    )
    privacy.register(handler)
    yield calls
    privacy.unregister("recorder")


def test_the_privacy_registry_reaches_every_registered_app(alice_store, recorder):
    shopper = privacy.Shopper(email="Shopper@Example.com")
    assert privacy.export_shopper_data(alice_store, shopper)["recorder"] == {"store": "alice", "email": "shopper@example.com"}
    assert privacy.erase_shopper_data(alice_store, shopper)["recorder"] == 1  # other apps register handlers too
    assert recorder == [("alice", "shopper@example.com")]


def test_a_shopper_must_be_named():
    with pytest.raises(ValueError):
        privacy.Shopper()
