"""The REST API for a flow's triggers: owners and admins replace them; bad specs answer 400 naming the problem."""

import pytest

from flows import services as flow_services
from flows import triggers
from flows.models import Trigger
from flows.triggers.services import set_flow_triggers

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(alice_store):
    return flow_services.create_flow(alice_store, name="Cart recovery")


def url(store, flow):
    return f"/api/v1/s/{store.slug}/flows/{flow.pk}/triggers/"


def test_an_owner_replaces_and_reads_a_flows_triggers(alice_store, alice_client, flow):
    specs = [
        {"kind": "cart_abandoned", "idle_minutes": 30, "priority": 10, "cap_per_day": 1},
        {"kind": "page_url", "config": {"match": "exact", "value": "/cart"}, "display": "open", "cap_per_shopper": 2},
    ]
    saved = alice_client.put(url(alice_store, flow), {"triggers": specs}, content_type="application/json")
    assert saved.status_code == 200, saved.json()
    body = alice_client.get(url(alice_store, flow)).json()
    assert body["published"] is False
    assert [(t["kind"], t["config"], t["priority"], t["display"], t["cap_per_shopper"]) for t in body["triggers"]] == [
        ("cart_abandoned", {"idle_minutes": 30}, 10, "teaser", None),
        ("page_url", {"match": "exact", "value": "/cart"}, 0, "open", 2),
    ]
    cleared = alice_client.put(url(alice_store, flow), {"triggers": []}, content_type="application/json")
    assert cleared.json()["triggers"] == [] and not Trigger.objects.exists()


def test_a_bad_spec_is_refused_and_nothing_changes(alice_store, alice_client, flow):
    set_flow_triggers(flow, [{"kind": "exit_intent"}])
    bad = [{"kind": "exit_intent"}, {"kind": "time_on_page", "seconds": 1}]
    answer = alice_client.put(url(alice_store, flow), {"triggers": bad}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["detail"] == (
        "Invalid input: Trigger 2: time_on_page: seconds: Input should be greater than or equal to 5"
    )
    # The same problem by its field, for the builder's form: triggers.<index from 0>.<field>.
    assert answer.json()["errors"]["triggers.1.config.seconds"] == ["Input should be greater than or equal to 5"]
    capped = [{"kind": "exit_intent", "cap_per_day": 11}]
    answer = alice_client.put(url(alice_store, flow), {"triggers": capped}, content_type="application/json")
    assert answer.json()["errors"]["triggers.0.cap_per_day"] == ["cap_per_day (per shopper, per day) is a whole number from 1 to 10."]
    regex = [{"kind": "page_url", "match": "regex", "value": "([a-z]+)*$"}]
    answer = alice_client.put(url(alice_store, flow), {"triggers": regex}, content_type="application/json")
    assert answer.status_code == 400 and "takes too long" in answer.json()["detail"]
    assert list(Trigger.objects.values_list("kind", flat=True)) == ["exit_intent"]
    not_a_list = alice_client.put(url(alice_store, flow), {"triggers": "exit_intent"}, content_type="application/json")
    assert not_a_list.status_code == 400


def test_each_refusal_names_the_field_a_form_shows_it_by(alice_store, alice_client, flow):
    def errors(spec):
        answer = alice_client.put(url(alice_store, flow), {"triggers": [{"kind": "exit_intent"}, spec]},
                                  content_type="application/json")  # fmt: skip
        assert answer.status_code == 400
        return {k: v for k, v in answer.json()["errors"].items() if k != "triggers"}

    assert errors({"kind": "teleport"}) == {"triggers.1.kind": [
        "Unknown trigger kind 'teleport'; use one of: " + ", ".join(triggers.TRIGGER_KINDS) + "."
    ]}  # fmt: skip
    assert errors({"kind": "cart_value"}) == {"triggers.1.config": ["Give a minimum, a maximum, or both."]}
    assert errors({"kind": "page_url", "match": "exact"}) == {"triggers.1.config.value": ["Field required"]}
    assert list(errors({"kind": "exit_intent", "display": "popup"})) == ["triggers.1.display"]
    assert list(errors({"kind": "exit_intent", "priority": 5000})) == ["triggers.1.priority"]
    assert not Trigger.objects.exists()


def test_the_kinds_and_their_settings_are_listed(alice_store, alice_client):
    kinds = alice_client.get(f"/api/v1/s/{alice_store.slug}/trigger-kinds/").json()
    by_name = {k["kind"]: k for k in kinds}
    assert len(by_name) == 13 and by_name["time_on_page"]["schema"]["properties"]["seconds"]["minimum"] == 5


def test_agents_and_other_stores_cannot_touch_triggers(alice_store, agent_client, bob_client, flow):
    body = {"triggers": [{"kind": "exit_intent"}]}
    assert agent_client.put(url(alice_store, flow), body, content_type="application/json").status_code == 403
    assert bob_client.put(url(alice_store, flow), body, content_type="application/json").status_code == 404
    assert not Trigger.objects.exists()


def test_set_flow_triggers_refuses_too_many(flow):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at most 20 triggers"):
        set_flow_triggers(flow, [{"kind": "exit_intent"}] * 21)
