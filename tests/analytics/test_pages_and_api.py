"""The analytics pages and REST API: what an owner sees, bad input, CSV downloads, an FAQ from a group."""

import csv
import io

import pytest

from conversations.models import Contact, Conversation
from flows import services as flow_services
from flows.models import FaqEntry
from tenants import services
from tests.analytics.test_overview import seed_week
from tests.analytics.world import Log, at
from tests.flowkit import assistant_graph

MARCH = "from=2026-03-01&to=2026-03-05"


def test_the_owner_sees_the_overview_with_its_charts(alice_client, alice_store):
    seed_week(Log(alice_store))
    page = alice_client.get(f"/s/alice/analytics/?{MARCH}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-stat="conversations">4<' in html and 'data-stat="shoppers">3<' in html
    assert 'data-stat="fallback_rate">50.0%<' in html and 'data-stat="first_response">6 min 0 s<' in html
    assert 'id="analytics-report"' in html and "analytics/dashboard.js" in html and 'data-chart="daily"' in html


def test_the_api_gives_the_same_numbers(alice_client, alice_store):
    seed_week(Log(alice_store))
    report = alice_client.get(f"/api/v1/s/alice/analytics/overview/?{MARCH}").json()
    assert (report["conversations"], report["shoppers"], report["handed_to_person"]) == (4, 3, 2)
    assert report["period"] == {"from": "2026-03-01", "to": "2026-03-05", "timezone": "UTC"}


def test_an_api_key_reads_its_own_stores_reports(alice_store, client):
    _key, plain = services.create_api_key(alice_store, name="reports", created_by=None)
    answer = client.get(f"/api/v1/s/alice/analytics/revenue/?{MARCH}", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert answer.status_code == 200 and answer.json()["revenue"] == "0.00"


@pytest.mark.parametrize("url", [
    "/api/v1/s/alice/analytics/overview/?from=2026-03-05&to=2026-03-01",
    "/api/v1/s/alice/analytics/experiments/?goal=profit",
    "/api/v1/s/alice/analytics/export/?report=everything",
    "/api/v1/s/alice/analytics/export/?report=funnel",
])
def test_bad_queries_get_a_400_with_a_message(alice_client, alice_store, url):
    answer = alice_client.get(url)
    assert answer.status_code == 400 and answer.json()["detail"]


def test_a_bad_period_on_a_page_is_shown_not_crashed(alice_client, alice_store):
    page = alice_client.get("/s/alice/analytics/?from=2026-03-05&to=2026-03-01")
    assert page.status_code == 400
    assert "The period starts (2026-03-05) after it ends (2026-03-01)" in page.content.decode()


def test_every_page_renders_for_a_store_with_no_data(alice_client, alice_store):
    flow = flow_services.create_flow(alice_store, name="Assistant", graph=assistant_graph())
    for path in ("", "flows/", f"flows/{flow.pk}/", "experiments/", "unanswered/"):
        page = alice_client.get(f"/s/alice/analytics/{path}")
        assert page.status_code == 200, path
    assert "No conversations started in this period." in alice_client.get("/s/alice/analytics/").content.decode()


def test_the_funnel_api_serves_the_builder(alice_client, alice_store):
    flow = flow_services.create_flow(alice_store, name="Assistant", graph=assistant_graph())
    Log(alice_store).chat(1, 1, at("2026-03-02 10:00"), flow=flow.pk, path=["welcome", "menu"])
    report = alice_client.get(f"/api/v1/s/alice/analytics/flows/{flow.pk}/funnel/?{MARCH}").json()
    menu = next(n for n in report["nodes"] if n["node_id"] == "menu")
    assert (menu["entered"], menu["dropped"]) == (1, 1) and report["flow"] == {"id": flow.pk, "name": "Assistant"}


def test_the_conversations_csv_neutralizes_what_shoppers_typed(alice_client, alice_store):
    contact = Contact.objects.create(store=alice_store, name="=HYPERLINK(\"http://x\")", email="dana@example.com")
    Conversation.objects.create(store=alice_store, contact=contact)
    answer = alice_client.get("/s/alice/analytics/export.csv?report=conversations")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert answer["Content-Disposition"].startswith('attachment; filename="alice-conversations-')
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode(), newline="")))
    assert rows[1][3] == "'=HYPERLINK(\"http://x\")" and rows[1][4] == "dana@example.com"


def test_one_click_turns_a_group_into_an_faq_entry(alice_client, alice_store):
    Log(alice_store).event("fallback", at("2026-03-02 10:00"), 1, 1, text="Do you ship to Canada?")
    page = alice_client.get(f"/s/alice/analytics/unanswered/?{MARCH}").content.decode()
    assert "Do you ship to Canada?" in page and "Answer as an FAQ" in page
    before = FaqEntry.objects.filter(store=alice_store).count()
    answer = alice_client.post(f"/s/alice/analytics/unanswered/faq/?{MARCH}", {
        "questions": "Do you ship to Canada?\ndo you ship to canada", "answer": "Yes, in 5 days."})
    assert answer.status_code == 302 and answer.url == f"/s/alice/analytics/unanswered/?{MARCH}"
    entry = FaqEntry.objects.filter(store=alice_store).latest("id")
    assert FaqEntry.objects.filter(store=alice_store).count() == before + 1
    assert entry.answer == "Yes, in 5 days." and "Do you ship to Canada?" in entry.questions


def test_an_faq_without_an_answer_is_refused_with_the_form(alice_client, alice_store):
    before = FaqEntry.objects.filter(store=alice_store).count()
    answer = alice_client.post("/s/alice/analytics/unanswered/faq/", {"questions": "Do you ship?", "answer": ""})
    assert answer.status_code == 400 and "This field is required." in answer.content.decode()
    assert FaqEntry.objects.filter(store=alice_store).count() == before


def test_the_owner_sets_the_attribution_window_in_settings(alice_client, alice_store):
    from django.urls import reverse

    from tests.tenants.test_store_settings import _form

    url = reverse("store_settings", args=["alice"])
    assert alice_client.post(url, _form(alice_store, attribution_window_days=14)).status_code == 302
    alice_store.refresh_from_db()
    assert alice_store.attribution_window_days == 14
    refused = alice_client.post(url, _form(alice_store, attribution_window_days=0))
    assert refused.status_code == 200 and "attribution_window_days" in refused.context["form"].errors
    alice_store.refresh_from_db()
    assert alice_store.attribution_window_days == 14
