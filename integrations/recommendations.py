"""Recommendations from the mirror: bought together, similar items, and personal picks for a contact.

"Bought together" and "popular" come from the synced orders; counting co-purchases is a join over every line
item of the store, so ``refresh_recommendations`` precomputes them into ``Recommendation`` rows (a Celery task
after every sync, ``integrations.tasks.refresh_recommendations``) and a lookup reads a few indexed rows.
Similar items are scored at lookup time from a bounded set of candidates (shared collections, the same type),
which needs no precomputation and follows the catalog as soon as it syncs.

Nothing out of stock or inactive is ever recommended; nothing a contact already bought is picked for them again
unless the product is tagged ``consumable``.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from copy import copy

from django.db import connection, transaction
from django.db.models import Value

from integrations.models import CollectionProduct, Product, Recommendation, RecommendationKind
from integrations.queries import available_products, orders_of_customer
from tenants.models import Store

PER_PRODUCT = 20  # bought-together rows kept per product
POPULAR = 100
CANDIDATES = 100  # similar-item candidates read per source (collection, type), buyable and in the price band
MIN_CANDIDATES = 40  # ... per product when several share them (a contact's latest views)
CONSUMABLE_TAG = "consumable"
_WORDS = re.compile(r"[^\W_]+")
# Co-purchases and best sellers are counted, ranked and written by the database in two statements: at 50,000
# orders the pairs number in the hundreds of thousands, and carrying them through Python took most of a minute.
_BOUGHT_TOGETHER = """
    INSERT INTO integrations_recommendation (store_id, kind, product_id, recommended_id, score)
    SELECT %s, %s, product_id, other_id, orders FROM (
        SELECT a.product_id, b.product_id AS other_id, COUNT(DISTINCT a.order_id) AS orders,
               ROW_NUMBER() OVER (PARTITION BY a.product_id ORDER BY COUNT(DISTINCT a.order_id) DESC, b.product_id) AS n
        FROM integrations_lineitem a
        JOIN integrations_lineitem b ON b.order_id = a.order_id AND b.product_id <> a.product_id
        JOIN integrations_order o ON o.id = a.order_id
        WHERE a.store_id = %s AND b.store_id = %s AND o.store_id = %s AND o.cancelled_at IS NULL
        GROUP BY a.product_id, b.product_id
    ) ranked
    WHERE n <= %s
"""
_POPULAR = """
    INSERT INTO integrations_recommendation (store_id, kind, product_id, recommended_id, score)
    SELECT %s, %s, NULL, li.product_id, COUNT(DISTINCT li.order_id)
    FROM integrations_lineitem li JOIN integrations_order o ON o.id = li.order_id
    WHERE li.store_id = %s AND o.store_id = %s AND li.product_id IS NOT NULL AND o.cancelled_at IS NULL
    GROUP BY li.product_id
    ORDER BY COUNT(DISTINCT li.order_id) DESC, li.product_id
    LIMIT %s
"""


@transaction.atomic
def refresh_recommendations(store: Store) -> int:
    """Recount co-purchases and best sellers from the store's orders; replaces the store's rows whole."""
    Recommendation.objects.filter(store=store).delete()
    with connection.cursor() as cursor:
        cursor.execute(_BOUGHT_TOGETHER, [store.pk, RecommendationKind.BOUGHT_TOGETHER, store.pk, store.pk, store.pk,
                                          PER_PRODUCT])  # fmt: skip
        rows = cursor.rowcount
        cursor.execute(_POPULAR, [store.pk, RecommendationKind.POPULAR, store.pk, store.pk, POPULAR])
        return rows + cursor.rowcount


def _ranked(store: Store, scores: dict[int, float], limit: int, exclude: set[int]) -> list[Product]:
    """The ``limit`` best-scored products that can be bought, best first (ties by id), with their variants."""
    return _ranked_each(store, [scores], limit, exclude)[0]


def _ranked_each(
    store: Store, score_sets: list[dict[int, float]], limit: int, exclude: set[int]
) -> list[list[Product]]:
    """``_ranked`` for several sets of scores at once, sharing the queries that load the products.

    Loads the best few of each at a time (with their variants) until ``limit`` of each can be bought, instead of
    checking every scored product first.
    """
    orders = [
        sorted((i for i in scores if i not in exclude), key=lambda i, s=scores: (-s[i], i)) for scores in score_sets
    ]
    picks: list[list[Product]] = [[] for _ in score_sets]
    loaded: dict[int, Product | None] = {}
    step = max(2 * limit, 10)
    for start in range(0, max(map(len, orders), default=0), step):
        chunks = [order[start : start + step] if len(picks[n]) < limit else [] for n, order in enumerate(orders)]
        if not any(chunks):  # every list is full or used up
            break
        if wanted := {i for chunk in chunks for i in chunk} - loaded.keys():
            loaded |= dict.fromkeys(wanted) | {p.pk: p for p in available_products(store).filter(pk__in=wanted)}
        for n, chunk in enumerate(chunks):
            picks[n] += [copy(loaded[i]) for i in chunk if loaded[i] is not None]
    for found, scores in zip(picks, score_sets, strict=True):
        for product in found[:limit]:
            product.recommendation_score = scores[product.pk]
    return [found[:limit] for found in picks]


def _precomputed(store: Store, kind: str, product_ids: Iterable[int] | None) -> dict[int, float]:
    rows = Recommendation.objects.filter(store=store, kind=kind)
    rows = rows.filter(product_id__in=list(product_ids)) if product_ids is not None else rows
    scores: dict[int, float] = defaultdict(float)
    for recommended, score in rows.values_list("recommended_id", "score"):
        scores[recommended] += score
    return scores


def for_product(store: Store, product: Product, *, limit: int = 5) -> dict[str, list[Product]]:
    """What was bought together with ``product`` (precomputed) and products like it (scored now: shared
    collections, tags, type and title words, in a similar price band), loading the picks of both together."""
    together = _precomputed(store, RecommendationKind.BOUGHT_TOGETHER, [product.pk])
    together, similar = _ranked_each(store, [together, _similarity_scores(store, [product])], limit, {product.pk})
    return {"bought_together": together, "similar": similar}


def popular_products(store: Store, *, limit: int = 5, exclude: Iterable[int] = ()) -> list[Product]:
    return _ranked(store, _precomputed(store, RecommendationKind.POPULAR, None), limit, set(exclude))


def _similarity_scores(store: Store, sources: list[Product]) -> dict[int, float]:
    """Scores of products like the ``sources`` (summed over them), in two queries however many sources.

    For each source: up to ``CANDIDATES`` buyable products from its collections and as many of its type, within
    half to twice its lowest price (shared out among several sources, at least ``MIN_CANDIDATES`` each).
    Candidates are read in index order, unsorted: sorting a collection of thousands to keep a few hundred of them
    cost more than all the rest.
    """
    parts, base = [], available_products(store).order_by()
    per_source = max(CANDIDATES // max(1, len(sources)), MIN_CANDIDATES)
    for n, product in enumerate(sources):
        buyable = base.exclude(pk=product.pk)
        if price := product.min_price:
            buyable = buyable.filter(min_price__gte=price / 2, min_price__lte=price * 2)
        collections = CollectionProduct.objects.filter(store=store, product=product).values("collection_id")
        parts.append(
            CollectionProduct.objects.filter(store=store, collection_id__in=collections)
            .filter(product__in=buyable.values("pk")).order_by()
            .values_list("product_id", Value(n), Value(True))[:per_source]
        )  # fmt: skip
        if product.product_type:
            same_type = buyable.filter(product_type=product.product_type)
            parts.append(same_type.values_list("pk", Value(n), Value(False))[:per_source])
    if not parts:
        return {}
    shared: dict[int, Counter] = defaultdict(Counter)  # source -> candidate -> collections shared
    same_type: dict[int, set[int]] = defaultdict(set)  # source -> candidates of its type
    if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL: one query
        found = parts[0].union(*parts[1:], all=True)
    else:  # SQLite (the demo) cannot limit the parts of a UNION
        found = [row for part in parts for row in part]
    for pk, n, in_collection in found:
        if in_collection:
            shared[n][pk] += 1
        else:
            same_type[n].add(pk)
    ids = {pk for counts in shared.values() for pk in counts} | {pk for pks in same_type.values() for pk in pks}
    rows = Product.objects.filter(store=store, pk__in=ids).order_by().values_list("pk", "title", "tags", "vendor")
    words = [set(_WORDS.findall(product.title.lower())) for product in sources]
    tags = [{str(t).lower() for t in product.tags} for product in sources]
    scores: dict[int, float] = defaultdict(float)
    for pk, title, their_tags, vendor in rows:
        theirs = set(_WORDS.findall(title.lower()))
        their_tags = {str(t).lower() for t in their_tags}
        for n, product in enumerate(sources):
            if pk not in shared[n] and pk not in same_type[n]:
                continue
            score = 2.0 * shared[n][pk] + len(tags[n] & their_tags)
            score += 1.0 * (pk in same_type[n]) + 0.5 * (vendor == product.vendor and bool(vendor))
            score += 2.0 * len(words[n] & theirs) / max(1, len(words[n] | theirs))
            scores[pk] += score
    return scores


def purchased_product_ids(store: Store, customer) -> set[int]:
    """Products in the customer's orders (and orders placed with their email)."""
    return {
        item.product_id for order in orders_of_customer(store, customer, limit=100)
        for item in order.line_items.all() if item.product_id
    }  # fmt: skip


def recommendations_for_contact(
    store: Store, *, purchased_ids: Iterable[int] = (), viewed_ids: Iterable[int] = (), customer=None,
    limit: int = 5,
) -> list[Product]:  # fmt: skip
    """Personal picks: what goes with what they bought and what they looked at, then best sellers.

    ``purchased_ids`` and ``viewed_ids`` are product ids the caller knows of (clicked cards, viewed pages);
    ids of other stores are ignored. With ``customer`` (a verified one), their synced orders count as bought.
    Never out of stock, never something already bought unless tagged consumable, never what they just viewed.
    """
    own = Product.objects.filter(store=store).order_by()
    bought = {int(i) for i in purchased_ids}
    if customer is not None:
        bought |= purchased_product_ids(store, customer)
    tags_of_bought = dict(own.filter(pk__in=bought).values_list("pk", "tags")) if bought else {}
    bought = set(tags_of_bought)  # only the store's own
    consumable = {pk for pk, tags in tags_of_bought.items() if CONSUMABLE_TAG in {str(t).lower() for t in tags}}
    latest = {pk: n for n, pk in enumerate(int(i) for i in viewed_ids)}  # a product viewed again counts as recent
    latest = dict(sorted(latest.items(), key=lambda item: item[1])[-10:])
    viewed = sorted(own.filter(pk__in=latest), key=lambda p: latest[p.pk])  # oldest first
    scores: dict[int, float] = defaultdict(float)
    for pk, score in _precomputed(store, RecommendationKind.BOUGHT_TOGETHER, bought | {p.pk for p in viewed}).items():
        scores[pk] += score
    for pk, score in _similarity_scores(store, viewed[-3:]).items():  # the latest few
        scores[pk] += score / 2
    exclude = (bought - consumable) | {p.pk for p in viewed}
    picks = _ranked(store, scores, limit, exclude)
    if len(picks) < limit:
        picks += popular_products(store, limit=limit - len(picks), exclude=exclude | {p.pk for p in picks})
    return picks
