"""Catalog filters, and the small parser that reads them out of what a shopper typed.

``parse_query("red summer dress size M under 50", collections=["Dresses"])`` gives the words left to match
("summer") and ``Filters(collection="dresses", max_price=50, options=(("colour", "red"), ("size", "m")))``.
Pure: no database, so flows and tests call it on plain strings.
"""

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COLOURS = _words(
    "red blue green black white grey gray pink purple yellow orange brown beige navy teal olive sage "
    "cream ivory gold silver khaki maroon burgundy turquoise lilac mint charcoal tan"
)
# Option names shops use for the same thing; a filter on "colour" matches any of them.
OPTION_ALIASES = {
    "colour": ("colour", "color", "farbe", "couleur"),
    "size": ("size", "größe", "taille", "shoe size"),
}
FILLER = _words(
    "a an the some any me i im i'm want wants need looking look for show find got have do you please "
    "something anything stuff like with in of to and"
)

_NUM = r"[$€£]?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:\$|€|£|usd|eur|gbp|dollars?|bucks|euros?)?"
_PRICE_RULES = [
    (re.compile(rf"\b(?:between|from)\s+{_NUM}\s*(?:and|to|-)\s*{_NUM}"), "range"),
    (re.compile(r"(?<![\w.])\$\s*(\d+(?:[.,]\d{1,2})?)\s*(?:-|to)\s*\$?\s*(\d+(?:[.,]\d{1,2})?)"), "range"),
    (re.compile(rf"(?:\b(?:under|below|less than|cheaper than|max|up to|at most|no more than)|<)\s*{_NUM}"), "max"),
    (re.compile(rf"(?:\b(?:over|above|more than|at least|min|from)|>)\s*{_NUM}"), "min"),
]
_SIZE = re.compile(r"\bsize\s*:?\s*([a-z0-9][a-z0-9./]{0,5})\b")
_BARE_SIZE = re.compile(r"\b(xxs|xs|xl|xxl|xxxl|2xl|3xl)\b")
_IN_STOCK = re.compile(r"\b(?:in[ -]stock|available now|available)\b")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to; every part is optional and they all must hold."""

    collection: str | None = None  # a collection's title or handle, compared case-insensitively
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool = False
    vendor: str | None = None
    tags: tuple[str, ...] = ()  # the product has every one of these tags (case-insensitive)
    options: tuple[tuple[str, str], ...] = field(default=())  # (option name, value), e.g. ("size", "m")

    def merged(self, other: "Filters | None") -> "Filters":
        """These filters with ``other``'s set parts on top (what the flow asked wins over the parsed text)."""
        if other is None:
            return self
        changes = {name: getattr(other, name) for name in self.__dataclass_fields__ if getattr(other, name)}
        if "options" in changes:
            names = {n for n, _ in other.options}
            changes["options"] = tuple(o for o in self.options if o[0] not in names) + other.options
        return replace(self, **changes)


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the words left to match against the catalog, lower-cased
    filters: Filters


def _price(value: str) -> Decimal | None:
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None


def parse_query(text: str, *, collections: list[str] = ()) -> ParsedQuery:
    """Read price, size, colour, stock and collection out of ``text``; what is left is matched as words.

    ``collections`` are the store's collection titles; one named in the text (longest first) becomes the
    collection filter. Never raises: text it does not understand stays in the words to match.
    """
    rest = " " + " ".join(str(text or "").lower().split())[:500] + " "
    found: dict = {}
    for pattern, kind in _PRICE_RULES:
        match = pattern.search(rest)
        if not match or kind in found or ("range" in found and kind != "range"):
            continue
        values = [_price(v) for v in match.groups()]
        if kind == "range":
            found["range"] = sorted(v for v in values if v is not None)
        else:
            found[kind] = values[0]
        rest = rest[: match.start()] + " " + rest[match.end() :]
    low, high = found.get("min"), found.get("max")
    if len(found.get("range", [])) == 2:
        low, high = found["range"]
    options = []
    if match := _SIZE.search(rest) or _BARE_SIZE.search(rest):
        options.append(("size", match.group(1)))
        rest = rest[: match.start()] + " " + rest[match.end() :]
    in_stock = bool(_IN_STOCK.search(rest))
    rest = _IN_STOCK.sub(" ", rest)
    collection = None
    for title in sorted({c.strip().lower() for c in collections if c.strip()}, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(title)}(?!\w)")
        if pattern.search(rest):
            collection, rest = title, pattern.sub(" ", rest, count=1)
            break
    words = []
    for word in _WORD.findall(rest):
        if word in COLOURS and not any(name == "colour" for name, _ in options):
            options.append(("colour", word))
        elif word not in FILLER:
            words.append(word)
    filters = Filters(collection=collection, min_price=low, max_price=high, in_stock=in_stock, options=tuple(options))
    return ParsedQuery(text=" ".join(words), filters=filters)
