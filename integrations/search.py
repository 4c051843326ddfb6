"""Catalog search over the mirror: what the bot calls when a shopper types "sumer dres under 50".

PostgreSQL matches words two ways at once: full-text (English stemming, so "dresses" finds "dress") over the
product's search text and description, and trigram word similarity over the search text, so a typo still
matches ("sumer dres" finds "Summer Dress"). Both are indexed (migration 0002_catalog_search). The demo's
SQLite uses an FTS5 table instead: prefix matches on each word, then on each word's first letters when
nothing matched (a cruder typo tolerance). Shopper text only ever reaches the database as a bound
parameter, and FTS5 sees each word quoted, so no input is a query-syntax error.

Results are active products with their variants, ranked by relevance, then by whether any variant is in stock.
"""

import json
import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Exists, F, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from integrations.models import Collection, CollectionProduct, Product, Variant
from integrations.queries import active_products
from integrations.search_filters import OPTION_ALIASES, Filters, parse_query
from tenants.models import Store

MAX_RESULTS = 50
FTS_CANDIDATES = 500
_TEXT = '"integrations_product"."search_text"'
# to_tsvector('english', search_text || ' ' || description), stored by PostgreSQL (see the migration).
_DOCUMENT = '"integrations_product"."search_vector"'
_WORDS = re.compile(r"[^\W_]+")


def search_text_for(record: dict) -> str:
    """The text search matches for a product record as the mirror writes it (title, type, vendor, tags,
    option values), lower-cased and de-duplicated word by word."""
    parts = [record.get("title", ""), record.get("product_type", ""), record.get("vendor", "")]
    parts += [str(tag) for tag in record.get("tags") or []]
    parts += [str(v) for variant in record.get("variants") or [] for v in (variant.get("options") or {}).values()]
    words = dict.fromkeys(w for part in parts for w in _WORDS.findall(str(part).lower()))
    return " ".join(words)[:4000]


def collection_titles(store: Store) -> list[str]:
    return list(Collection.objects.filter(store=store).values_list("title", flat=True))


def search(store: Store, text: str, filters: Filters | None = None, *, limit: int = 10) -> list[Product]:
    """Products of ``store`` matching ``text`` and ``filters``, best first, with their variants.

    Filters named in the text ("under 50", "size M", "red", a collection's title) are read out of it; the
    ``filters`` the caller passes win over them. An empty text with filters browses (in-stock first, then by
    title). Each product carries ``search_score`` (higher is better).
    """
    parsed = parse_query(text, collections=collection_titles(store))
    wanted = parsed.filters.merged(filters)
    products = filtered_products(store, wanted).annotate(available=_available(store))
    limit = max(1, min(int(limit), MAX_RESULTS))
    if not parsed.text:
        return list(products.annotate(search_score=RawSQL("0.0", (), output_field=FloatField()))
                    .order_by("-available", "title", "id")[:limit])  # fmt: skip
    if connection.vendor == "postgresql":
        return _search_postgresql(products, parsed.text, limit)
    return _search_fts5(store, products, parsed.text, limit)


def filtered_products(store: Store, filters: Filters) -> QuerySet[Product]:
    """Active products of the store that pass every filter (a variant must satisfy price, options and stock
    together: "size M under 50" is one variant that is both)."""
    products = active_products(store)
    if filters.collection:
        name = filters.collection.strip()
        in_collection = CollectionProduct.objects.filter(store=store, product=OuterRef("pk")).filter(
            Q(collection__title__iexact=name) | Q(collection__handle__iexact=name)
        )
        products = products.filter(Exists(in_collection))
    if filters.vendor:
        products = products.filter(vendor__iexact=filters.vendor.strip())
    for tag in filters.tags:  # the JSON list's text holds the tag in quotes: a whole tag, any case
        products = products.filter(tags__icontains=json.dumps(str(tag).strip(), ensure_ascii=False))
    variant = Q()
    if filters.min_price is not None:
        variant &= Q(price__gte=filters.min_price)
    if filters.max_price is not None:
        variant &= Q(price__lte=filters.max_price)
    if filters.in_stock:
        variant &= Q(inventory_quantity__isnull=True) | Q(inventory_quantity__gt=0)
    for name, value in filters.options:
        variant &= _option(name, value)
    if variant:
        products = products.filter(Exists(Variant.objects.filter(variant, store=store, product=OuterRef("pk"))))
    return products


def _option(name: str, value: str) -> Q:
    """A variant whose option ``name`` (or one of its aliases, in the shop's capitalisation) holds ``value``."""
    value = str(value).strip()
    names = OPTION_ALIASES.get(name.lower(), (name.lower(),))
    spellings = {spelling for n in names for spelling in (n, n.title(), n.upper())}
    exact = name.lower() == "size"  # "M" must not match "XL"; "red" may match "Racing Red"
    lookup = "iexact" if exact else "icontains"
    match = Q()
    for spelling in sorted(spellings):
        match |= Q(**{f"options__{spelling}__{lookup}": value})
    return match


def _available(store: Store) -> Exists:
    in_stock = Q(inventory_quantity__isnull=True) | Q(inventory_quantity__gt=0)
    return Exists(Variant.objects.filter(in_stock, store=store, product=OuterRef("pk")))


def _search_postgresql(products: QuerySet[Product], text: str, limit: int) -> list[Product]:
    # The SQL is built from constants only; the shopper's text is always a bound parameter.
    query = "plainto_tsquery('english'::regconfig, %s)"
    matches = RawSQL(f"({_DOCUMENT} @@ {query} OR %s <%% {_TEXT})", (text, text), output_field=BooleanField())  # noqa: S611
    score = RawSQL(  # noqa: S611
        f"(ts_rank({_DOCUMENT}, {query}) + word_similarity(%s, {_TEXT}))", (text, text), output_field=FloatField()
    )
    # Relevance in bands of 0.1, so that among equally good matches the ones in stock come first.
    band = RawSQL(f"floor((ts_rank({_DOCUMENT}, {query}) + word_similarity(%s, {_TEXT})) * 10)", (text, text))  # noqa: S611
    ranked = (
        products.annotate(matches=matches).filter(matches=True)
        .annotate(search_score=score, band=band)
        .order_by(F("band").desc(), F("available").desc(), F("search_score").desc(), "id")
    )  # fmt: skip
    return list(ranked[:limit])


def fts5_match(words: Iterable[str], *, prefix_length: int | None = None) -> str:
    """An FTS5 MATCH expression any of ``words`` satisfies, each quoted so that none is query syntax."""
    terms = []
    for word in words:
        word = word[:prefix_length] if prefix_length else word
        terms.append('"' + word.replace('"', '""') + '"*')
    return " OR ".join(terms)


def _search_fts5(store: Store, products: QuerySet[Product], text: str, limit: int) -> list[Product]:
    words = _WORDS.findall(text)[:12]
    ranks: dict[int, float] = {}
    for prefix in (None, 3):
        expression = fts5_match(words, prefix_length=prefix)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, bm25(integrations_product_fts) FROM integrations_product_fts "
                "WHERE integrations_product_fts MATCH %s AND store_id = %s ORDER BY 2 LIMIT %s",
                [expression, store.pk, FTS_CANDIDATES],
            )
            ranks = {row: -rank for row, rank in cursor.fetchall()}  # bm25: lower is better
        if ranks:
            break
    found = list(products.filter(pk__in=list(ranks)))
    for product in found:
        product.search_score = ranks[product.pk]
    found.sort(key=lambda p: (-round(p.search_score, 1), not p.available, -p.search_score, p.pk))
    return found[:limit]
