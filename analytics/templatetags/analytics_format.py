"""How report numbers read on the dashboard: rates as percentages, durations in words, "—" for no value."""

from django import template

register = template.Library()

NONE = "—"


@register.filter
def percent(value) -> str:
    return NONE if value is None else f"{value * 100:.1f}%"


@register.filter
def duration(seconds) -> str:
    if seconds is None:
        return NONE
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


@register.filter
def number(value, places: int = 2) -> str:
    return NONE if value is None else f"{value:.{int(places)}f}"
