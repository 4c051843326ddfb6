"""Campaigns: a message or flow for a segment, between two days in the store's time zone, once per shopper."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from analytics.models import Event
from conversations import campaigns, proactive
from conversations.models import Contact, Segment
from tenants import services as tenant_services
from tests.conftest import logged_in
from tests.conversations.conftest import Shopper
from tests.conversations.proactive_kit import flow_saying, later, page_event, proactive_texts

pytestmark = pytest.mark.django_db


def around_today(store, before=1, after=1):
    today = campaigns.store_today(store, timezone.now())
    return today - timedelta(days=before), today + timedelta(days=after)


def sale(store, **fields):
    starts, ends = around_today(store)
    data = {"name": "Summer sale", "audience": "new", "text": "Hi {{ contact.first_name }}, the summer sale starts today!",
            "starts_on": starts, "ends_on": ends, **fields}  # fmt: skip
    return campaigns.create_campaign(store, **data)


def test_a_campaign_is_shown_once_to_each_shopper_in_its_segment(alice_store, assistant, on_commit):
    campaign = sale(alice_store)
    dana, ray = Shopper(alice_store, on_commit, "Dana"), Shopper(alice_store, on_commit, "Ray")
    Contact.objects.filter(pk=ray.conversation.contact_id).update(segment=Segment.RETURNING, visits=4)
    page_event(dana, "page_view", {"url": "https://shop.alice.example/"})
    page_event(ray, "page_view", {"url": "https://shop.alice.example/"})
    assert proactive_texts(dana) == [("Hi Dana, the summer sale starts today!", "teaser")]
    assert proactive_texts(ray) == []  # not new
    assert proactive.consider(dana.conversation.pk, "page_view", now=later(60 * 24)) is None  # once per shopper
    shown = Event.objects.get(name="campaign_shown")
    assert shown.data == {"campaign_id": campaign.pk, "flow_id": None} and shown.contact_id == dana.conversation.contact_id
    assert campaigns.shown_counts(alice_store) == {campaign.pk: 1}


def test_loyal_high_value_and_tagged_audiences(alice_store, assistant, on_commit):
    sale(alice_store, name="VIP", audience="high_value", text="VIP early access")
    sale(alice_store, name="Tagged", audience="tag", tag="Wholesale", text="Wholesale prices inside")
    vip, tagged = Shopper(alice_store, on_commit, "Vi"), Shopper(alice_store, on_commit, "Ty")
    Contact.objects.filter(pk=vip.conversation.contact_id).update(segment=Segment.HIGH_VALUE)
    Contact.objects.filter(pk=tagged.conversation.contact_id).update(tags=["wholesale"], segment=Segment.RETURNING)
    page_event(vip, "page_view", {"url": "https://shop.alice.example/"})
    page_event(tagged, "page_view", {"url": "https://shop.alice.example/"})
    assert [t for t, _ in proactive_texts(vip)] == ["VIP early access"]
    assert [t for t, _ in proactive_texts(tagged)] == ["Wholesale prices inside"]


def test_the_date_range_is_in_the_stores_time_zone(alice_store, assistant, shopper):
    store = tenant_services.update_store_settings(alice_store, timezone="Pacific/Kiritimati")  # UTC+14
    now = datetime.datetime(2026, 6, 1, 11, 0, tzinfo=datetime.UTC)  # already 2 June in Kiritimati
    starts_2_june = sale(store, starts_on=datetime.date(2026, 6, 2), ends_on=datetime.date(2026, 6, 2))
    contact = Contact.objects.select_related("store").get(pk=shopper.conversation.contact_id)
    assert campaigns.store_today(store, now) == datetime.date(2026, 6, 2)
    assert [c.pk for c in campaigns.running_for(contact, now)] == [starts_2_june.pk]
    after_end = datetime.datetime(2026, 6, 2, 10, 0, tzinfo=datetime.UTC)  # 3 June there: over
    assert campaigns.running_for(contact, after_end) == []
    before = datetime.datetime(2026, 6, 1, 9, 59, tzinfo=datetime.UTC)  # 1 June 23:59 there: not yet
    assert campaigns.running_for(contact, before) == []


def test_a_campaign_can_start_a_flow_and_a_trigger_goes_first(alice_store, assistant, shopper):
    flow = flow_saying(alice_store, "The sale flow")
    campaigns.create_campaign(
        alice_store, name="Flow sale", audience="new", flow=flow.pk, display="open",
        starts_on=around_today(alice_store)[0], ends_on=around_today(alice_store)[1],
    )  # fmt: skip
    flow_saying(alice_store, "You came from the newsletter", {"kind": "utm", "source": "newsletter"})
    page_event(shopper, "page_view", {"url": "https://shop.alice.example/?utm_source=newsletter"})
    assert [t for t, _ in proactive_texts(shopper)] == ["You came from the newsletter"]
    assert proactive.consider(shopper.conversation.pk, "page_view", now=later(11)) is not None  # after the cooldown
    assert proactive_texts(shopper)[-1] == ("The sale flow", "open")


def test_paused_or_finished_campaigns_are_not_shown(alice_store, assistant, shopper):
    sale(alice_store, enabled=False)
    starts, _ = around_today(alice_store, before=10)
    sale(alice_store, name="Over", starts_on=starts, ends_on=starts + timedelta(days=2))
    page_event(shopper, "page_view", {"url": "https://shop.alice.example/"})
    assert proactive_texts(shopper) == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Give the campaign a name"),
        ({"audience": "vip"}, "audience", "Choose who sees it"),
        ({"audience": "tag", "tag": ""}, "tag", "Name the tag"),
        ({"text": ""}, "text", "Write a message, or choose a flow"),
        ({"text": "Hi {{ contact.name"}, "text", "never closed"),
        ({"starts_on": datetime.date(2026, 7, 2), "ends_on": datetime.date(2026, 7, 1)}, "ends_on", "before the first"),
        ({"starts_on": datetime.date(2026, 1, 1), "ends_on": datetime.date(2027, 6, 1)}, "ends_on", "at most a year"),
        ({"display": "popup"}, "display", "teaser"),
        ({"flow": 999999, "text": ""}, "flow", "Choose one of this store's flows"),
    ],
)
def test_bad_campaigns_are_refused_by_field(alice_store, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        sale(alice_store, **fields)
    assert message in refused.value.message_dict[field][0]


def test_a_campaign_cannot_start_another_stores_flow(alice_store, bob_store):
    bobs = flow_saying(bob_store, "Bob's flow")
    with pytest.raises(ValidationError) as refused:
        sale(alice_store, text="", flow=bobs.pk)
    assert "Choose one of this store's flows" in refused.value.message_dict["flow"][0]


def test_the_campaign_api(alice_store, alice_client, agent_client):
    starts, ends = around_today(alice_store)
    url = f"/api/v1/s/{alice_store.slug}/campaigns/"
    body = {"name": "Launch", "audience": "returning", "text": "New arrivals!", "starts_on": str(starts),
            "ends_on": str(ends), "display": "open"}  # fmt: skip
    created = alice_client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["audience"] == "returning" and created.json()["flow_id"] is None
    bad = alice_client.post(url, {**body, "ends_on": "2020-01-01"}, content_type="application/json")
    assert bad.status_code == 400 and "The last day is before the first." in bad.json()["detail"]
    cid = created.json()["id"]
    paused = alice_client.patch(f"{url}{cid}/", {"enabled": False}, content_type="application/json")
    assert paused.status_code == 200 and paused.json()["enabled"] is False and paused.json()["text"] == "New arrivals!"
    listed = agent_client.get(url)
    assert listed.status_code == 200, listed.json()
    assert listed.json()["results"][0]["id"] == cid  # agents read
    assert agent_client.post(url, body, content_type="application/json").status_code == 403
    assert alice_client.delete(f"{url}{cid}/").status_code == 204


def test_the_campaigns_page(alice_store, alice, alice_client):
    starts, ends = around_today(alice_store)
    page = alice_client.get(f"/s/{alice_store.slug}/campaigns/")
    assert page.status_code == 200 and b"No campaigns yet." in page.content
    form = {"name": "Summer <b>sale</b>", "audience": "new", "text": "Hello!", "starts_on": str(starts),
            "ends_on": str(ends), "display": "teaser"}  # fmt: skip
    saved = alice_client.post(f"/s/{alice_store.slug}/campaigns/", form, follow=True)
    assert b"Summer &lt;b&gt;sale&lt;/b&gt;" in saved.content and b"running" in saved.content
    refused = alice_client.post(f"/s/{alice_store.slug}/campaigns/", {**form, "text": ""})
    assert refused.status_code == 400 and b"Write a message, or choose a flow" in refused.content
    campaign = alice_store.campaigns.get()
    alice_client.post(f"/s/{alice_store.slug}/campaigns/{campaign.pk}/toggle/")
    campaign.refresh_from_db()
    assert campaign.enabled is False
    alice_client.post(f"/s/{alice_store.slug}/campaigns/{campaign.pk}/delete/")
    assert not alice_store.campaigns.exists()
    assert logged_in(alice).get(f"/s/{alice_store.slug}/settings/").status_code == 200


def test_the_demo_seeds_a_running_campaign_and_a_triggered_flow_once(alice_store, assistant, shopper):
    from conversations.demo import DEMO_TRIGGERED_FLOW, seed_demo_campaigns
    from flows.models import Flow

    seed_demo_campaigns(alice_store)
    seed_demo_campaigns(alice_store)  # seeding again moves the dates on; it adds nothing
    campaign = alice_store.campaigns.get()
    assert campaign.audience == "new" and campaign.starts_on <= campaigns.store_today(alice_store, timezone.now())
    helper = Flow.objects.get(store=alice_store, name=DEMO_TRIGGERED_FLOW)
    assert not helper.is_default and list(helper.triggers.values_list("kind", "config")) == [
        ("time_on_page", {"seconds": 60})
    ]
    page_event(shopper, "page_view", {"url": "https://shop.alice.example/"})
    assert [text for text, _ in proactive_texts(shopper)] == [campaign.text]
    assert proactive.consider(shopper.conversation.pk, "time_on_page", {"seconds": 60}, now=later(11))
    assert proactive_texts(shopper)[-1][0].startswith("Still browsing?")
