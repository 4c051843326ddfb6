"""The overview's numbers on seeded events, from the rollups and straight from the log."""

from datetime import date, timedelta

import pytest

from analytics.models import DailyFact, RolledDay
from analytics.overview import overview
from analytics.periods import Period, PeriodError, parse_period, store_zone
from analytics.rollups import ensure_rolled, rollup_day
from tests.analytics.world import Log, at


@pytest.fixture
def log(alice_store):
    return Log(alice_store)


def period(store, first, last):
    return Period(date.fromisoformat(first), date.fromisoformat(last), store_zone(store))


def seed_week(log):
    """Three days in UTC. Known answers: 4 conversations, 3 unique shoppers (contact 1 comes back)."""
    log.chat(1, 1, at("2026-03-02 09:00"))
    log.event("fallback", at("2026-03-02 09:01"), 1, 1, text="do you ship to mars")
    log.event("product_clicked", at("2026-03-02 09:02"), 1, 1, product_id="5")
    log.event("rating", at("2026-03-02 09:05"), 1, 1, rating=5, source="bot")
    log.chat(2, 2, at("2026-03-02 10:00"))
    log.event("handoff", at("2026-03-02 10:01"), 2, 2, agents_online=1)
    log.event("first_agent_reply", at("2026-03-02 10:03"), 2, 2, agent_id=7)  # 120 s
    log.event("resolve", at("2026-03-02 10:31"), 2, 2, agent_id=7)  # 1800 s
    log.event("rating", at("2026-03-02 10:32"), 2, 2, rating=2, source="inbox")
    log.chat(3, 1, at("2026-03-03 08:00"))  # contact 1 again, next day
    log.event("added_to_cart", at("2026-03-03 08:01"), 3, 1, product_id="5", variant_id="51")
    log.event("product_clicked", at("2026-03-03 08:01"), 3, 1, product_id="5")
    log.event("takeover", at("2026-03-03 08:02"), 3, 1, agent_id=7, forced=False)
    log.event("first_agent_reply", at("2026-03-03 08:12"), 3, 1, agent_id=7)  # 600 s
    log.chat(4, 3, at("2026-03-04 23:59"))
    log.event("fallback", at("2026-03-04 23:59:30"), 4, 3, text="hmm")
    log.event("lead_captured", at("2026-03-04 23:59:40"), 4, 3)


@pytest.mark.parametrize("use_rollups", [True, False])
def test_it_counts_every_overview_number_on_known_events(log, alice_store, use_rollups):
    seed_week(log)
    report = overview(alice_store, period(alice_store, "2026-03-01", "2026-03-05"), use_rollups=use_rollups)

    assert report["conversations"] == 4
    assert report["shoppers"] == 3  # contact 1 on two days is one shopper
    assert [(d["day"], d["conversations"], d["shoppers"]) for d in report["days"]] == [
        ("2026-03-01", 0, 0), ("2026-03-02", 2, 2), ("2026-03-03", 1, 1), ("2026-03-04", 1, 1), ("2026-03-05", 0, 0),
    ]
    assert report["handed_to_person"] == 2 and report["resolved_by_bot"] == 2 and report["handed_rate"] == 0.5
    assert report["fallback_conversations"] == 2 and report["fallback_rate"] == 0.5
    assert report["satisfaction"]["average"] == 3.5
    assert report["satisfaction"]["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert report["agents"]["first_response_median_seconds"] == 360  # median of 120 and 600
    assert report["agents"]["resolution_median_seconds"] == 1800
    goals = {g["goal"]: g["conversations"] for g in report["goals"]}
    assert goals == {"product_clicked": 2, "added_to_cart": 1, "order_status_answered": 0, "lead_captured": 1,
                     "discount_shown": 0}
    assert report["notice"] == ""


def test_unique_shoppers_over_a_range_are_not_the_sum_of_the_days(log, alice_store):
    for day in range(1, 8):  # the same two shoppers every day for a week
        log.chat(100 + day, 1, at(f"2026-03-0{day} 12:00"))
        log.chat(200 + day, 2, at(f"2026-03-0{day} 13:00"))
    report = overview(alice_store, period(alice_store, "2026-03-01", "2026-03-07"))
    assert sum(d["shoppers"] for d in report["days"]) == 14
    assert report["shoppers"] == 2 and report["conversations"] == 14


def test_days_are_the_stores_local_days_with_a_half_hour_offset(log, alice_store):
    alice_store.timezone = "Asia/Kolkata"  # UTC+05:30
    alice_store.save()
    log.chat(1, 1, at("2026-03-01 18:29"))  # 23:59 on 1 March in Kolkata
    log.chat(2, 2, at("2026-03-01 18:31"))  # 00:01 on 2 March
    report = overview(alice_store, period(alice_store, "2026-03-01", "2026-03-02"))
    assert [d["conversations"] for d in report["days"]] == [1, 1]


def test_a_daylight_saving_day_has_its_25_hours(log, alice_store):
    alice_store.timezone = "Europe/Berlin"  # clocks go back at 01:00 UTC on 25 October 2026
    alice_store.save()
    log.chat(1, 1, at("2026-10-24 22:00"))  # 00:00 on the 25th, summer time
    log.chat(2, 2, at("2026-10-25 22:59"))  # 23:59 on the 25th, winter time
    log.chat(3, 3, at("2026-10-25 23:00"))  # 00:00 on the 26th
    report = overview(alice_store, period(alice_store, "2026-10-25", "2026-10-26"))
    assert [d["conversations"] for d in report["days"]] == [2, 1]


def test_re_rolling_a_day_is_idempotent_and_picks_up_late_events(log, alice_store):
    seed_week(log)
    rollup_day(alice_store, date(2026, 3, 2))
    first = sorted(DailyFact.objects.filter(store=alice_store).values_list("metric", "key", "subject", "value"))
    rollup_day(alice_store, date(2026, 3, 2))
    assert sorted(DailyFact.objects.filter(store=alice_store).values_list("metric", "key", "subject", "value")) == first

    one_day = period(alice_store, "2026-03-02", "2026-03-02")
    assert overview(alice_store, one_day)["conversations"] == 2
    log.chat(9, 9, at("2026-03-02 23:00"))  # written late, after the day was rolled
    assert overview(alice_store, one_day)["conversations"] == 2  # the rolled day is complete until re-rolled
    rollup_day(alice_store, date(2026, 3, 2))
    assert overview(alice_store, one_day)["conversations"] == 3


def test_today_is_computed_live(log, alice_store):
    from django.utils import timezone

    from analytics.periods import local_today

    now = timezone.now()
    today = local_today(alice_store)
    log.chat(1, 1, now - timedelta(seconds=5))
    window = Period(today, today, store_zone(alice_store))
    assert overview(alice_store, window)["conversations"] == 1
    RolledDay.objects.filter(store=alice_store).update(rolled_at=now - timedelta(minutes=2))  # older than the TTL
    log.chat(2, 2, timezone.now())
    assert overview(alice_store, window)["conversations"] == 2


def test_a_store_with_no_data_gets_zeros_and_a_notice(alice_store):
    report = overview(alice_store, period(alice_store, "2026-03-01", "2026-03-03"))
    assert report["conversations"] == 0 and report["shoppers"] == 0
    assert report["fallback_rate"] is None and report["satisfaction"]["average"] is None
    assert report["agents"]["first_response_median_seconds"] is None
    assert all(g["rate"] is None for g in report["goals"])
    assert report["notice"] == "No conversations started in this period."


def test_other_stores_events_never_count(log, alice_store, bob_store):
    Log(bob_store).chat(1, 1, at("2026-03-02 09:00"))
    assert overview(alice_store, period(alice_store, "2026-03-02", "2026-03-02"))["conversations"] == 0
    assert overview(bob_store, period(bob_store, "2026-03-02", "2026-03-02"))["conversations"] == 1


def test_empty_days_are_marked_without_facts(alice_store):
    ensure_rolled(alice_store, period(alice_store, "2026-03-01", "2026-03-03"))
    assert RolledDay.objects.filter(store=alice_store).count() == 3
    assert not DailyFact.objects.filter(store=alice_store).exists()


@pytest.mark.parametrize(("first", "last", "message"), [
    ("2026-03-05", "2026-03-01", "after it ends"),
    ("yesterday", None, "is not a date"),
    ("2020-01-01", "2026-01-01", "at most 366 days"),
])
def test_bad_periods_are_refused_with_a_clear_message(alice_store, first, last, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(alice_store, first, last)


def test_the_beat_task_rolls_new_days_and_late_events(log, alice_store, bob_store):
    from analytics.tasks import rollup_recent

    seed_week(log)
    Log(bob_store).chat(1, 1, at("2026-03-02 09:00"))
    assert rollup_recent() == 2  # both stores had new events
    rolled = set(RolledDay.objects.filter(store=alice_store).values_list("day", flat=True))
    assert rolled == {date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)}
    assert DailyFact.objects.filter(store=bob_store, metric="conversation").count() == 1

    log.chat(9, 9, at("2026-03-03 12:00"))  # late: its day was rolled already
    assert rollup_recent() == 1
    march_3 = period(alice_store, "2026-03-03", "2026-03-03")
    assert overview(alice_store, march_3)["conversations"] == 2
    assert rollup_recent() == 0  # nothing new


def test_erasing_a_shopper_removes_them_from_the_rollups(log, alice_store):
    from analytics.services import erase_contact_events

    seed_week(log)
    march = period(alice_store, "2026-03-01", "2026-03-05")
    assert overview(alice_store, march)["shoppers"] == 3
    erase_contact_events(alice_store, [1])
    assert not DailyFact.objects.filter(store=alice_store, metric="shopper", subject=1).exists()
    assert not DailyFact.objects.filter(store=alice_store, subject__in=[1, 3]).exclude(metric="shopper").exists()
    report = overview(alice_store, march)
    assert (report["shoppers"], report["conversations"]) == (2, 2)
    assert [d["shoppers"] for d in report["days"]] == [0, 1, 0, 1, 0]


def test_merging_two_contacts_counts_one_shopper(log, alice_store):
    from analytics.services import move_contact_events

    log.chat(1, 1, at("2026-03-02 09:00"))
    log.chat(2, 2, at("2026-03-02 10:00"))
    march_2 = period(alice_store, "2026-03-02", "2026-03-02")
    assert overview(alice_store, march_2)["shoppers"] == 2
    move_contact_events(alice_store, 2, 1)
    assert overview(alice_store, march_2)["shoppers"] == 1


def test_rollup_analytics_recuts_days_after_a_time_zone_change(log, alice_store):
    from io import StringIO

    from django.core.management import call_command

    log.chat(1, 1, at("2026-03-01 23:30"))  # 1 March in UTC, 2 March in Berlin
    march = period(alice_store, "2026-03-01", "2026-03-02")
    assert [d["conversations"] for d in overview(alice_store, march)["days"]] == [1, 0]
    alice_store.timezone = "Europe/Berlin"
    alice_store.save()
    out = StringIO()
    call_command("rollup_analytics", "alice", "--from", "2026-03-01", "--to", "2026-03-02", stdout=out)
    assert "Rolled 2 days" in out.getvalue()
    berlin = Period(date(2026, 3, 1), date(2026, 3, 2), store_zone(alice_store))
    assert [d["conversations"] for d in overview(alice_store, berlin)["days"]] == [0, 1]
