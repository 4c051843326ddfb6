"""Report periods: a range of days in the store's time zone, and the UTC instants that bound them.

A store-local day is [local midnight, next local midnight), converted to UTC by ``zoneinfo``, so a day is
23 or 25 hours long across a daylight-saving change and half-hour offsets (Asia/Kolkata) just work.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tenants.models import Store

DEFAULT_DAYS = 30
MAX_DAYS = 366


class PeriodError(ValueError):
    """A period a report cannot use; the message says what to send instead."""


def store_zone(store: Store) -> ZoneInfo:
    return ZoneInfo(store.timezone or "UTC")


def day_start(zone: ZoneInfo, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def day_bounds(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of a local day."""
    return day_start(zone, day), day_start(zone, day + timedelta(days=1))


def local_day(zone: ZoneInfo, instant: datetime) -> date:
    return instant.astimezone(zone).date()


def local_today(store: Store, now: datetime | None = None) -> date:
    return local_day(store_zone(store), now or timezone.now())


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return day_start(self.zone, self.first)

    @property
    def end(self) -> datetime:
        return day_start(self.zone, self.last + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def as_dict(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "timezone": self.zone.key}


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(f"“{value}” is not a date: send {what} as YYYY-MM-DD.") from None


def parse_period(store: Store, first: str | None = None, last: str | None = None) -> Period:
    """The period from ``from``/``to`` query values (store-local dates, both inclusive); the last 30 days
    by default. Raises ``PeriodError`` for a malformed date, a reversed range or one over a year."""
    zone = store_zone(store)
    today = local_today(store)
    end = _date(last, "to") if last else today
    begin = _date(first, "from") if first else end - timedelta(days=DEFAULT_DAYS - 1)
    if begin > end:
        raise PeriodError(f"The period starts ({begin}) after it ends ({end}); choose a start on or before the end.")
    if (end - begin).days + 1 > MAX_DAYS:
        raise PeriodError(f"A report covers at most {MAX_DAYS} days; choose a shorter period.")
    return Period(begin, end, zone)
