"""Business hours (the store's time zone), the away message and email capture on a handoff, and the email to
the team when a handoff waits longer than the store's setting."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from conversations import inbox, turns
from conversations.away import closed_until
from conversations.models import HeldBy
from tenants import services as tenant_services
from tenants.hours import clean_hours, next_opening, parse_hours
from tests.conversations.conftest import Shopper

WEEKDAYS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def test_next_opening_is_in_the_stores_time_zone():
    # Friday 2026-03-06 18:30 in Berlin (17:30 UTC): closed until Monday 09:00 Berlin time.
    friday_evening = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)
    opens = next_opening(WEEKDAYS, "Europe/Berlin", friday_evening)
    assert opens.isoformat() == "2026-03-09T09:00:00+01:00"
    # The same instant is 12:30 in New York, a Friday afternoon: open.
    assert next_opening(WEEKDAYS, "America/New_York", friday_evening) is None
    # Early on Wednesday in Berlin: opens the same morning.
    assert next_opening(WEEKDAYS, "Europe/Berlin", datetime(2026, 3, 4, 5, 0, tzinfo=UTC)).hour == 9
    assert next_opening({}, "Europe/Berlin", friday_evening) is None  # no hours: always open


def test_opening_hours_follow_daylight_saving_time():
    # Berlin moves to summer time on 2026-03-29; Monday 30 March 09:00 local is 07:00 UTC.
    sunday = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    opens = next_opening(WEEKDAYS, "Europe/Berlin", sunday)
    assert opens.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert next_opening(WEEKDAYS, "Europe/Berlin", datetime(2026, 3, 30, 7, 30, tzinfo=UTC)) is None


def test_the_next_opening_reads_in_the_shoppers_language():
    from conversations.away import format_opening
    from conversations.phrases import PHRASES

    monday = datetime(2026, 3, 9, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    said = {locale: format_opening(monday, locale, words["away_format"]) for locale, words in PHRASES.items()}
    assert said["en"] == "Monday, 9 March, 09:00 (Europe/Berlin)"
    assert said["de"] == "Montag, 9. März, 09:00 (Europe/Berlin)"
    assert said["es"] == "lunes 9 de marzo, 09:00 (Europe/Berlin)"
    assert said["fr"].startswith("lundi 9 mars") and said["nl"].startswith("maandag 9 maart")


def test_business_hours_are_written_one_line_a_day_and_checked():
    assert parse_hours("Mon 09:00-12:00 13:00-17:00\nsat closed\n") == {
        "mon": [["09:00", "12:00"], ["13:00", "17:00"]], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [],
        "sun": [],
    }  # fmt: skip
    assert parse_hours("  ") == {}
    assert clean_hours({"fri": ["22:00-24:00"]})["fri"] == [["22:00", "24:00"]]
    for bad in ("funday 09:00-17:00", "mon 9-5", "mon 17:00-09:00", "mon 09:00-12:00 11:00-13:00",
                "mon 09:00-17:00\nmon 10:00-11:00", "sun closed"):  # fmt: skip
        with pytest.raises(ValidationError):
            parse_hours(bad)


def test_the_owner_sets_hours_and_the_alert_delay_on_the_settings_page(alice_client, alice_store):
    page = alice_client.get("/s/alice/settings/").content.decode()
    assert "Business hours" in page and "handoff has waited" in page
    data = {
        "name": alice_store.name, "slug": "alice", "bot_name": "Assistant", "brand_color": "#4F46E5",
        "currency": "USD", "timezone": "Europe/Berlin", "locale": "en", "allowed_origins": "",
        "loyal_after_orders": 3, "high_value_spend": 500, "handoff_alert_minutes": 15, "discount_max_percent": 15,
        "business_hours": "mon 09:00-17:00\ntue 09:00-17:00", "proactive_quiet_minutes": 5,
        "proactive_cooldown_minutes": 10, "attribution_window_days": 7,
    }  # fmt: skip
    assert alice_client.post("/s/alice/settings/", data).status_code == 302
    alice_store.refresh_from_db()
    assert alice_store.handoff_alert_minutes == 15 and alice_store.business_hours["mon"] == [["09:00", "17:00"]]
    refused = alice_client.post("/s/alice/settings/", {**data, "business_hours": "mon 17:00-09:00"})
    assert refused.status_code == 200 and "ends before it starts" in refused.content.decode()
    alice_store.refresh_from_db()
    assert alice_store.business_hours["tue"] == [["09:00", "17:00"]]


def test_the_api_refuses_bad_hours(alice_client, alice_store):
    response = alice_client.patch("/api/v1/s/alice/", {"business_hours": {"mon": ["nine to five"]}},
                                  content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "HH:MM" in str(response.json())


def _closed_now(store):
    """Open only half an hour a day, starting two hours from now (UTC): closed now, in German."""
    hour = (timezone.now().hour + 2) % 24
    hours = {day: [[f"{hour:02d}:00", f"{hour:02d}:30"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    return tenant_services.update_store_settings(store, business_hours=hours, timezone="UTC", locale="de")


def test_outside_hours_the_handoff_takes_the_offline_path_and_says_when_people_answer(
    alice_store, alice_agent, assistant, on_commit
):
    from conversations import presence

    store = _closed_now(alice_store)
    assert closed_until(store) is not None
    presence.mark_agent_online(store.pk, alice_agent.pk)  # online, but outside hours nobody is assigned
    shopper = Shopper(store, on_commit)
    asked = shopper.say(payload="menu/human")
    assert asked and "email" in asked[-1]  # the handoff node's "team offline" path
    said = shopper.say("dana@example.com")
    assert said[-1].startswith("Ab ") and "(UTC)" in said[-1] and "dana@example.com" in said[-1], said
    conversation = shopper.refresh()
    assert conversation.held_by == HeldBy.AGENT and conversation.assignee is None
    assert conversation.contact.email == "dana@example.com" and not conversation.collecting_email


def test_outside_hours_a_handoff_without_an_email_asks_for_one_and_keeps_it(alice_store, on_commit):
    from tests.conversations.conftest import publish
    from tests.flowkit import edge, graph, node

    store = _closed_now(alice_store)
    publish(store, graph([node("hi", "send_message", text="Hi"), node("human", "handoff", ask_email=False)],
                         [edge("hi", "human")]))  # fmt: skip
    shopper = Shopper(store, on_commit)
    said = shopper.bot_texts()
    assert "E-Mail-Adresse" in said[-1] and "Ab " in said[-1], said
    assert shopper.refresh().collecting_email
    assert shopper.say("not an email") == []
    assert shopper.say("  Dana@Example.com ") == ["Danke! Wir melden uns bei dir unter dana@example.com."]
    conversation = shopper.refresh()
    assert conversation.contact.email == "dana@example.com" and not conversation.collecting_email
    assert shopper.say("another@example.com") == []  # asked once: later messages are for the team
    assert Shopper(store, on_commit).refresh().contact.email == ""  # another shopper's contact is untouched


def test_a_handoff_during_hours_goes_to_an_online_agent_without_an_away_message(
    alice_store, alice_agent, assistant, on_commit
):
    from conversations import presence

    presence.mark_agent_online(alice_store.pk, alice_agent.pk)
    shopper = Shopper(alice_store, on_commit)
    said = shopper.say(payload="menu/human")
    assert not any("away" in text for text in said)
    assert shopper.refresh().assignee == alice_agent


# --- the handoff alert email -------------------------------------------------------------------------------


def _waiting(store, on_commit, minutes_ago):
    shopper = Shopper(store, on_commit, name="Erin")
    shopper.say(payload="menu/human")
    shopper.say("erin@example.com")  # nobody online: the handoff node asks for an email first
    conversation = shopper.refresh()
    conversation.handed_off_at = timezone.now() - timedelta(minutes=minutes_ago)
    conversation.save(update_fields=["handed_off_at"])
    return shopper


def test_a_handoff_waiting_past_the_stores_delay_emails_the_team_once(
    alice_store, alice_agent, alice_admin, assistant, on_commit
):
    old = _waiting(alice_store, on_commit, minutes_ago=11)
    _waiting(alice_store, on_commit, minutes_ago=3)  # not yet: the store waits 10 minutes
    mail.outbox.clear()
    with on_commit(execute=True):
        assert turns.sweep()["handoff_alerts"] == 1
    [email] = mail.outbox
    assert sorted(email.to) == ["adam@alice.example", "agnes@alice.example", "alice@alice.example"]
    assert "Erin" in email.body and f"/s/alice/inbox/?c={old.conversation.pk}" in email.body
    with on_commit(execute=True):
        assert turns.sweep()["handoff_alerts"] == 0  # once per handoff
    assert len(mail.outbox) == 1


def test_no_alert_once_an_agent_answered_or_when_the_store_turned_alerts_off(
    alice_store, alice_agent, bob_store, assistant, on_commit
):
    answered = _waiting(alice_store, on_commit, minutes_ago=30)
    inbox.take_over(alice_store, answered.conversation.pk, alice_agent)
    inbox.reply(alice_store, answered.conversation.pk, alice_agent, text="Here now")
    tenant_services.update_store_settings(alice_store, handoff_alert_minutes=0)
    _waiting(alice_store, on_commit, minutes_ago=30)
    with on_commit(execute=True):
        assert turns.sweep()["handoff_alerts"] == 0
    assert not [m for m in mail.outbox if "waiting" in m.subject]


def test_a_new_handoff_after_a_hand_back_can_alert_again(alice_store, alice_agent, assistant, on_commit):
    shopper = _waiting(alice_store, on_commit, minutes_ago=20)
    with on_commit(execute=True):
        turns.sweep()
    inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    inbox.hand_back(alice_store, shopper.conversation.pk, alice_agent)
    shopper.say("talk to a person please")
    shopper.say(payload="menu/human")
    assert shopper.refresh().held_by == HeldBy.AGENT and shopper.conversation.handoff_alerted_at is None
