"""Catalog search over the mirror: what the bot calls when a shopper types "sumer dres under 50".

PostgreSQL first corrects each word against the store's catalog words (``catalog_words``: a few thousand rows,
trigram-indexed), then matches the products only through the full-text index (English stemming, so "dresses"
finds "dress") with each word or its corrections, the last word also as a prefix. No query computes a similarity
row by row over the products. The demo's SQLite uses an FTS5 table instead: prefix matches on each word, then on
each word's first letters when nothing matched (a cruder typo tolerance). Shopper text only ever reaches the
database as a bound parameter; the tsquery holds only letters and digits, and FTS5 sees each word quoted, so no
input is a query-syntax error.

Results are active products with their variants, ranked by relevance, then by whether any variant is in stock.
See docs/search.md."""

import json
import re
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from integrations.catalog_words import Term, correct_words
from integrations.models import Collection, CollectionProduct, Product, Variant
from integrations.queries import active_products
from integrations.search_filters import OPTION_ALIASES, Filters, parse_query
from tenants.models import Store

MAX_RESULTS = 50
FTS_CANDIDATES = 500
MAX_WORDS = 8  # of the shopper's text, the rest is ignored
MIN_PREFIX = 3  # a last word shorter than this is not matched as a prefix (it would match half the catalog)
RANK_BANDS = 10
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
    products = filtered_products(store, wanted)
    limit = max(1, min(int(limit), MAX_RESULTS))
    if not parsed.text:
        return list(products.annotate(search_score=RawSQL("0.0", (), output_field=FloatField()))
                    .order_by("-in_stock", "title", "id")[:limit])  # fmt: skip
    if connection.vendor == "postgresql":
        return _search_postgresql(store, products, parsed.text, limit)
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
        # What the product row knows rules most products out before any of their variants is read: a variant
        # under the limit means the cheapest is; one in stock means the product counts as in stock.
        if filters.max_price is not None:
            products = products.filter(min_price__lte=filters.max_price)
        if filters.in_stock:
            products = products.filter(in_stock=True)
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


def _search_postgresql(store: Store, products: QuerySet[Product], text: str, limit: int) -> list[Product]:
    terms = correct_words(store, _WORDS.findall(text)[:MAX_WORDS])
    # Every word must match (one of its spellings). When no product has them all, the words the catalog does not
    # know (nor anything like them) are left out; then any word may match.
    attempts = [tsquery_text(terms)]
    familiar = [term for term in terms if term.known or term.corrections]
    if familiar and len(familiar) < len(terms):
        attempts.append(tsquery_text(familiar))
    if len(terms) > 1:
        attempts.append(tsquery_text(terms, " | "))
    with search_plans():
        for query_text in attempts:
            if found := _ranked_matches(store, products, query_text, limit):
                return found
    return []


# Planner settings for the search queries. A search reads at most a few thousand rows through its indexes; left
# to the defaults the planner sometimes prefers a parallel scan of the whole product table, or hashing every
# variant of the store to check a price filter, each several times slower than following the indexes (and slower
# still on a busy server). A random_page_cost near 1 is what an SSD or a cached table costs.
SEARCH_PLAN_SETTINGS = {"max_parallel_workers_per_gather": "0", "random_page_cost": "1.1"}


@contextmanager
def search_plans():
    """Run the queries inside with ``SEARCH_PLAN_SETTINGS`` (PostgreSQL). They are set for the transaction only;
    inside a caller's transaction they are put back on the way out."""
    if connection.vendor != "postgresql":
        yield
        return
    names = list(SEARCH_PLAN_SETTINGS)
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.name, current_setting(s.name), set_config(s.name, s.value, true) "
            "FROM unnest(%s::text[], %s::text[]) AS s(name, value)",
            [names, [SEARCH_PLAN_SETTINGS[name] for name in names]],
        )
        previous = {name: value for name, value, _ in cursor.fetchall()}
        yield
        if nested:
            cursor.execute(
                "SELECT set_config(s.name, s.value, true) FROM unnest(%s::text[], %s::text[]) AS s(name, value)",
                [names, [previous[name] for name in names]],
            )


def tsquery_text(terms: list[Term], operator: str = " & ") -> str:
    """A ``to_tsquery`` text for the shopper's words: each word or its corrections, the last also as a prefix
    (the shopper may not have finished typing it), joined by ``operator``. Words are letters and digits only,
    so none of them is query syntax."""
    groups = []
    for n, term in enumerate(terms):
        spellings = [term.word]
        if n == len(terms) - 1 and not term.known and len(term.word) >= MIN_PREFIX:
            spellings[0] += ":*"
        spellings += term.corrections
        groups.append("(" + " | ".join(spellings) + ")")
    return operator.join(groups)


def _ranked_matches(store: Store, products: QuerySet[Product], query_text: str, limit: int) -> list[Product]:
    # The SQL is built from constants only; the query text is always a bound parameter.
    query = "to_tsquery('english'::regconfig, %s)"
    matches = RawSQL(f"{_DOCUMENT} @@ {query}", (query_text,), output_field=BooleanField())  # noqa: S611
    score = RawSQL(f"ts_rank({_DOCUMENT}, {query})", (query_text,), output_field=FloatField())  # noqa: S611
    # Relevance in bands, so that among about equally good matches the ones in stock come first.
    band = RawSQL(f"floor(ts_rank({_DOCUMENT}, {query}) * {RANK_BANDS})", (query_text,))  # noqa: S611
    # Rank narrow rows (a common word matches thousands of products), then load the few that are shown.
    ranked = (
        products.annotate(matches=matches).filter(matches=True)
        .annotate(search_score=score, band=band)
        .order_by(F("band").desc(), F("in_stock").desc(), F("search_score").desc(), "id")
        .values_list("pk", "search_score")[:limit]
    )  # fmt: skip
    scores = dict(ranked)
    found = {p.pk: p for p in active_products(store).filter(pk__in=list(scores))}
    for pk, product in found.items():
        product.search_score = scores[pk]
    return [found[pk] for pk in scores if pk in found]  # one archived in between is left out


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
    found.sort(key=lambda p: (-round(p.search_score, 1), not p.in_stock, -p.search_score, p.pk))
    return found[:limit]
