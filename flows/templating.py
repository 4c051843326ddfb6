"""Sandboxed text templating: ``Hi {{ contact.name | default:"there" }}!``

A template reads plain JSON values from the personalization context and applies a few filters; it never
calls code. Paths walk dicts by key and lists by index only (never attributes), and a segment that starts
with ``_`` or is not a plain name or index finds nothing. A missing value, an unknown filter or a broken tag
renders as empty text, never an error; ``template_errors`` reports those problems when a flow is saved.

Values render as text: None as "", True/False as "yes"/"no", numbers as written (12, 12.5), lists joined by
", " and dicts as "". ``{% ... %}`` is not a tag here: it stays literal text. No HTML escaping: the widget
shows text as text. A tag ends at the first ``}}``, so a filter argument cannot contain ``}}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

_TAG = re.compile(r"\{\{(.*?)\}\}", re.S)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
_INDEX = re.compile(r"\d{1,6}")
_HEAD = re.compile(r"\s*([^\s|]*)\s*")
_FILTER = re.compile(r"\|\s*([A-Za-z_]+)\s*(?::\s*(\"[^\"]*\"|'[^']*'|-?\d{1,9}))?\s*")
MAX_SEGMENTS = 12


class _Broken(ValueError):
    """A tag that cannot be rendered (internal: ``render`` turns it into empty text)."""


def valid_path(path: str) -> bool:
    """A dotted path of plain names and list indexes, e.g. ``orders.0.name``."""
    parts = path.split(".")
    return 0 < len(parts) <= MAX_SEGMENTS and all(_NAME.fullmatch(p) or _INDEX.fullmatch(p) for p in parts)


def lookup(data: Mapping | list, path: str) -> Any:
    """The value at ``path`` in plain JSON data (a dict, or a list for a path like ``0.id``), or None.

    Walks dict keys and list indexes only, never attributes.
    """
    if not isinstance(path, str) or not valid_path(path):
        return None
    value: Any = data
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list | tuple) and part.isdigit():
            index = int(part)
            value = value[index] if index < len(value) else None
        else:
            return None
    return value


def as_text(value: Any) -> str:
    """How a value reads in a message (see the module docstring)."""
    if value is None or isinstance(value, Mapping):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return ", ".join(text for text in map(as_text, value) if text)
    return ""  # anything that is not plain JSON is not shown


def as_number(value: Any) -> Decimal | None:
    """A number, or text that reads as one ("12.5"), as a finite Decimal; None otherwise (booleans too)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _money(value: Any) -> str:
    number = as_number(value)
    return "" if number is None else format(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def _truncate(value: Any, size: int) -> str:
    text = as_text(value)
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | Mapping) else 0


# name -> (argument: "none" | "text" | "int" | "optional text", function(value, argument)).
# first and join leave a value that is not a list as it is; count/length are 0 for anything but text, lists, dicts.
FILTERS = {
    "default": ("text", lambda v, arg: arg if v is None or v == "" or v == [] or v == {} else v),
    "upper": ("none", lambda v, _: as_text(v).upper()),
    "lower": ("none", lambda v, _: as_text(v).lower()),
    "title": ("none", lambda v, _: as_text(v).title()),
    "capitalize": ("none", lambda v, _: as_text(v).capitalize()),
    "truncate": ("int", _truncate),
    "money": ("none", lambda v, _: _money(v)),
    "first": ("none", lambda v, _: (v[0] if v else None) if isinstance(v, list | tuple) else v),
    "join": ("optional text", lambda v, arg: ((", " if arg is None else arg).join(map(as_text, v)))
             if isinstance(v, list | tuple) else v),
    "count": ("none", lambda v, _: _length(v)),
    "length": ("none", lambda v, _: _length(v)),
    "urlencode": ("none", lambda v, _: quote(as_text(v), safe="")),
}  # fmt: skip


def _argument(name: str, raw: str | None) -> Any:
    kind = FILTERS[name][0]
    if raw is None:
        if kind in ("text", "int"):
            example = "20" if kind == "int" else '"x"'
            raise _Broken(f"the filter {name!r} needs an argument, e.g. {name}:{example}")
        return None
    if kind == "none":
        raise _Broken(f"the filter {name!r} takes no argument")
    if kind == "int":
        if raw[0] in "\"'" or not 1 <= int(raw) <= 4000:
            raise _Broken(f"the filter {name!r} needs a whole number from 1 to 4000, e.g. {name}:20")
        return int(raw)
    return raw[1:-1] if raw[0] in "\"'" else raw


def _parse(expr: str) -> tuple[str, list[tuple[str, Any]]]:
    """``path | filter:arg | ...`` -> (path, [(filter, argument)]); raises _Broken with a reason."""
    head = _HEAD.match(expr)
    path, pos = head.group(1), head.end()
    if not valid_path(path):
        raise _Broken(f"{path.strip() or 'nothing'!r} is not a variable name like contact.name or orders.0.total")
    filters = []
    while pos < len(expr):
        match = _FILTER.match(expr, pos)
        if match is None:
            raise _Broken(f"cannot read {expr[pos:].strip()!r}; filters look like | default:\"there\"")
        name, raw = match.groups()
        if name not in FILTERS:
            raise _Broken(f"unknown filter {name!r}")
        filters.append((name, _argument(name, raw)))
        pos = match.end()
    return path, filters


def _render_tag(expr: str, data: Mapping) -> str:
    try:
        path, filters = _parse(expr)
        value = lookup(data, path)
        for name, argument in filters:
            value = FILTERS[name][1](value, argument)
        return as_text(value)
    except Exception:  # a broken tag, or a filter meeting a value it cannot handle: the tag says nothing
        return ""


def render(template: str, data: Mapping) -> str:
    """Personalize ``template`` against ``data``. Never raises; the result is at most MAX_TEXT characters."""
    # Imported here, not at the top: importing flows.nodes imports the node modules, and they import this module.
    from flows.nodes.base import MAX_TEXT

    if not isinstance(template, str):
        return ""
    return _TAG.sub(lambda m: _render_tag(m.group(1), data)[:MAX_TEXT], template)[:MAX_TEXT]


def template_errors(template: str) -> list[str]:
    """What is wrong with a template, in words for the flow builder; empty when it is fine."""
    errors = []
    end = 0
    for match in _TAG.finditer(template):
        errors += _literal_errors(template[end : match.start()])
        end = match.end()
        try:
            _parse(match.group(1))
        except _Broken as exc:
            errors.append(f"{{{{{match.group(1)}}}}}: {exc}")
    errors += _literal_errors(template[end:])
    return errors


def _literal_errors(text: str) -> list[str]:
    errors = []
    if "{{" in text:
        errors.append("A {{ is never closed with }}.")
    if "{%" in text:
        errors.append("{% ... %} blocks are not supported; use {{ name }} and filters.")
    return errors
