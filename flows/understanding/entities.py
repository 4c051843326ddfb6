"""What a shopper mentions: order numbers, emails, phones, catalog names, sizes, colours, price limits.

Pure functions of the text and the catalog names they are given (the caller reads the catalog), so
they are tested on plain data. Every value is plain JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

MAX_CHARS = 2000
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "#1042", "order 1042", "order no. 1042", "order number: #1042", "purchase 1042", a bare 3-12 digit number.
ORDER = re.compile(
    r"(?:#\s?(?P<hash>[A-Za-z]{0,4}-?\d{3,15})\b)"
    r"|(?:\b(?:order|purchase|ordr|oder)\s*(?:no\.?|num(?:ber)?|id|#)?\s*[:#]?\s*(?P<word>[A-Za-z]{0,4}-?\d{3,15})\b)"
    r"|(?:(?<![\w.,$€£+-])(?P<bare>\d{3,12})(?![\w.,%]))",
    re.IGNORECASE,
)
PHONE = re.compile(r"(?<!\w)(\+?\d[\d\s().-]{7,18}\d)(?!\w)")
PRICE_LIMIT = re.compile(
    r"\b(?P<op>under|below|less than|cheaper than|max(?:imum)?|up to|over|above|more than|at least)\s*"
    r"(?P<cur>[$€£])?\s*(?P<amount>\d+(?:[.,]\d{1,2})?)",
    re.IGNORECASE,
)
SIZE = re.compile(r"\b(xxs|xs|s|m|l|xl|xxl|xxxl|small|medium|large|x-large|extra large|size \d{1,2}(?:\.5)?)\b", re.I)
COLOURS = {
    "black", "white", "red", "blue", "green", "yellow", "orange", "purple", "pink", "brown", "grey", "gray",
    "beige", "navy", "teal", "gold", "silver", "cream", "khaki", "olive", "maroon", "turquoise",
}  # fmt: skip
UPPER_OPS = {"under", "below", "less than", "cheaper than", "max", "maximum", "up to"}
CATALOG_SCORE = 85  # rapidfuzz partial ratio at or above which a catalog name counts as mentioned


def extract(text: str, *, products: Iterable[tuple[int, str]] = (), collections: Iterable[tuple[int, str]] = ()):
    """Entities in ``text``; ``products`` and ``collections`` are the store's (id, title) pairs."""
    text = text[:MAX_CHARS]
    emails = EMAIL.findall(text)
    without_emails = EMAIL.sub(" ", text)
    prices = [_price(m) for m in PRICE_LIMIT.finditer(without_emails)]
    without_prices = PRICE_LIMIT.sub(" ", without_emails)
    orders = _orders(without_prices, bare=False)  # "#1042", "order 1042": said to be an order
    rest = ORDER.sub(lambda m: m.group(0) if m.group("bare") else " ", without_prices)
    phones = [_digits(p) for p in PHONE.findall(rest) if len(_digits(p)) >= 9]
    orders += [o for o in _orders(PHONE.sub(" ", rest), bare=True) if o not in orders]
    sizes = sorted({m.lower() for m in SIZE.findall(text) if m.lower() not in {"s", "m", "l"} or _size_context(text)})
    words = set(re.findall(r"[a-z]+", text.lower()))
    entities = {
        "order_number": orders[0] if orders else "",
        "order_numbers": orders,
        "email": emails[0].lower() if emails else "",
        "phone": phones[0] if phones else "",
        "price_max": next((p["amount"] for p in prices if p["op"] == "max"), None),
        "price_min": next((p["amount"] for p in prices if p["op"] == "min"), None),
        "sizes": sizes,
        "colours": sorted(words & COLOURS),
        "products": _catalog(text, products),
        "collections": _catalog(text, collections),
    }
    return entities


def _digits(value: str) -> str:
    return re.sub(r"[^\d+]", "", value)


def _orders(text: str, *, bare: bool) -> list[str]:
    found = []
    for match in ORDER.finditer(text):
        value = (match.group("bare") or "") if bare else (match.group("hash") or match.group("word") or "")
        digits = re.sub(r"\D", "", value)
        if digits and digits not in found:
            found.append(digits)
    return found


def _price(match: re.Match) -> dict:
    op = match.group("op").lower()
    return {"op": "max" if op in UPPER_OPS else "min", "amount": float(match.group("amount").replace(",", "."))}


def _size_context(text: str) -> bool:
    return bool(re.search(r"\bsize\b|\bin (?:an? )?[sml]\b", text, re.I))


def _catalog(text: str, names: Iterable[tuple[int, str]]) -> list[dict]:
    """Catalog names the text mentions, typo tolerant (a partial fuzzy match against each title)."""
    choices = {pk: title for pk, title in names if title}
    if not choices or not utils.default_process(text):
        return []
    hits = process.extract(
        text, choices, scorer=fuzz.partial_ratio, processor=utils.default_process, score_cutoff=CATALOG_SCORE, limit=3
    )
    return [{"id": pk, "title": title, "score": round(score)} for title, score, pk in hits]
