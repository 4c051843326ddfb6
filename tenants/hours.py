"""A store's business hours: when people answer, as weekly opening ranges in the store's own time zone.

Stored on ``Store.business_hours`` as ``{"mon": [["09:00", "17:00"]], "sat": [], ...}``; a day that is
missing or empty is closed, and an empty dict means "always open" (no hours set). A range may end at
"24:00". The owner writes them one line a day: ``mon 09:00-12:00 13:00-17:00``.

Times are wall-clock times in the store's time zone, so a range is the same local hours on both sides of a
daylight-saving change; a local time that does not exist that day (the skipped hour) opens at the next
real instant.
"""

import re
import zoneinfo
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise

from django.core.exceptions import ValidationError

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$")
MAX_RANGES = 4


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def clean_hours(value) -> dict[str, list[list[str]]]:
    """Validate the stored shape; raises ValidationError with a message for the owner."""
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict) or set(value) - set(DAYS):
        raise ValidationError("Business hours name the days mon, tue, wed, thu, fri, sat and sun.")
    cleaned = {}
    for day in DAYS:
        ranges = value.get(day) or []
        if not isinstance(ranges, list) or len(ranges) > MAX_RANGES:
            raise ValidationError(f"{day}: give at most {MAX_RANGES} opening ranges.")
        spans = []
        for item in ranges:
            pair = isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(p, str) for p in item)
            text = "-".join(item) if pair else item
            if not isinstance(text, str) or not _RANGE.match(text):
                raise ValidationError(f"{day}: write each range as HH:MM-HH:MM, for example 09:00-17:00.")
            start, end = text.split("-")
            if _minutes(end) <= _minutes(start):
                raise ValidationError(f"{day}: {text} ends before it starts.")
            spans.append([start, end])
        spans.sort()
        for (_, end), (start, _) in pairwise(spans):
            if _minutes(start) < _minutes(end):
                raise ValidationError(f"{day}: the opening ranges overlap.")
        cleaned[day] = spans
    if not any(cleaned.values()):
        raise ValidationError("Open on at least one day, or leave the business hours empty (always open).")
    return cleaned


def parse_hours(text: str) -> dict[str, list[list[str]]]:
    """The settings form's text: one line a day, ``mon 09:00-17:00`` (``closed`` or no line: closed)."""
    hours: dict[str, list] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        words = line.strip().lower().replace(",", " ").split()
        if not words:
            continue
        day = words[0][:3]
        if day not in DAYS:
            raise ValidationError(f"Line {number}: start with a day (mon, tue, wed, thu, fri, sat, sun).")
        if day in hours:
            raise ValidationError(f"Line {number}: {day} is already given.")
        hours[day] = [] if words[1:] == ["closed"] else words[1:]
    return clean_hours(hours)


def format_hours(hours: dict) -> str:
    return "\n".join(f"{day} " + (" ".join(f"{a}-{b}" for a, b in hours.get(day) or []) or "closed") for day in DAYS)


def _spans_on(hours: dict, day: datetime, tz) -> list[tuple[datetime, datetime]]:
    spans = []
    for start, end in hours.get(DAYS[day.weekday()]) or []:
        opens = datetime.combine(day.date(), time(*map(int, start.split(":"))), tz)
        if end == "24:00":
            closes = datetime.combine(day.date() + timedelta(days=1), time(0), tz)
        else:
            closes = datetime.combine(day.date(), time(*map(int, end.split(":"))), tz)
        spans.append((opens, closes))
    return spans


def _instant(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def next_opening(hours: dict, tz_name: str, now: datetime) -> datetime | None:
    """None while the store is open (or has no hours); otherwise when it next opens, in the store's zone."""
    if not hours:
        return None
    tz = zoneinfo.ZoneInfo(tz_name or "UTC")
    local = now.astimezone(tz)
    for offset in range(8):
        day = local + timedelta(days=offset)
        for opens, closes in _spans_on(hours, day, tz):
            # Compare as instants (via UTC): aware datetimes sharing a tzinfo would compare as wall-clock times.
            if _instant(opens) <= now < _instant(closes):
                return None
            if _instant(opens) > now:
                return opens
    return None  # unreachable with at least one open day
