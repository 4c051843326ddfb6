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
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Min

from integrations.models import CollectionProduct, Product, Recommendation, RecommendationKind
from integrations.queries import available_products, orders_of_customer
from tenants.models import Store

PER_PRODUCT = 20  # bought-together rows kept per product
POPULAR = 100
CANDIDATES = 300  # similar-item candidates read per source (collection, type)
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
    ids = [i for i in scores if i not in exclude]
    buyable = available_products(store).filter(pk__in=ids).values_list("pk", flat=True)
    ordered = sorted(buyable, key=lambda i: (-scores[i], i))[:limit]
    found = {p.pk: p for p in available_products(store).filter(pk__in=ordered)}
    for i in ordered:
        found[i].recommendation_score = scores[i]
    return [found[i] for i in ordered]


def _precomputed(store: Store, kind: str, product_ids: Iterable[int] | None) -> dict[int, float]:
    rows = Recommendation.objects.filter(store=store, kind=kind)
    rows = rows.filter(product_id__in=list(product_ids)) if product_ids is not None else rows
    scores: dict[int, float] = defaultdict(float)
    for recommended, score in rows.values_list("recommended_id", "score"):
        scores[recommended] += score
    return scores


def bought_together(store: Store, product: Product, *, limit: int = 5) -> list[Product]:
    """What shoppers who bought ``product`` also bought in the same order, most often first."""
    return _ranked(store, _precomputed(store, RecommendationKind.BOUGHT_TOGETHER, [product.pk]), limit, {product.pk})


def popular_products(store: Store, *, limit: int = 5, exclude: Iterable[int] = ()) -> list[Product]:
    return _ranked(store, _precomputed(store, RecommendationKind.POPULAR, None), limit, set(exclude))


def _price(product_id: int) -> Decimal | None:
    return Product.objects.filter(pk=product_id).aggregate(low=Min("variants__price"))["low"]


def similar_products(store: Store, product: Product, *, limit: int = 5) -> list[Product]:
    """Products like ``product``: shared collections, tags, type and title words, in a similar price band."""
    scores = _similarity_scores(store, product)
    return _ranked(store, scores, limit, {product.pk})


def _similarity_scores(store: Store, product: Product) -> dict[int, float]:
    collections = CollectionProduct.objects.filter(store=store, product=product).values("collection_id")
    in_collections = Counter(
        CollectionProduct.objects.filter(store=store, collection_id__in=collections).exclude(product=product)
        .values_list("product_id", flat=True)[:CANDIDATES]
    )  # fmt: skip
    candidates = Product.objects.filter(store=store).exclude(pk=product.pk)
    same_type = set(candidates.filter(product_type=product.product_type).exclude(product_type="")
                    .values_list("pk", flat=True)[:CANDIDATES])  # fmt: skip
    ids = set(in_collections) | same_type
    price = _price(product.pk)
    rows = candidates.filter(pk__in=ids).annotate(low=Min("variants__price"))
    tags = {str(t).lower() for t in product.tags}
    words = set(_WORDS.findall(product.title.lower()))
    scores = {}
    for pk, title, their_tags, vendor, low in rows.values_list("pk", "title", "tags", "vendor", "low"):
        if price and low and not (price / 2 <= low <= price * 2):
            continue  # outside the price band
        theirs = set(_WORDS.findall(title.lower()))
        score = 2.0 * in_collections.get(pk, 0) + len(tags & {str(t).lower() for t in their_tags})
        score += 1.0 * (pk in same_type) + 0.5 * (vendor == product.vendor and bool(vendor))
        score += 2.0 * len(words & theirs) / max(1, len(words | theirs))
        scores[pk] = score
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
    own = Product.objects.filter(store=store)
    bought = set(own.filter(pk__in=[int(i) for i in purchased_ids]).values_list("pk", flat=True))
    if customer is not None:
        bought |= purchased_product_ids(store, customer)
    viewed = list(own.filter(pk__in=[int(i) for i in viewed_ids][-10:]))
    scores: dict[int, float] = defaultdict(float)
    for pk, score in _precomputed(store, RecommendationKind.BOUGHT_TOGETHER, bought | {p.pk for p in viewed}).items():
        scores[pk] += score
    for product in viewed[-3:]:  # the latest few: similar items cost a few queries each
        for pk, score in _similarity_scores(store, product).items():
            scores[pk] += score / 2
    consumable = set(own.filter(pk__in=bought, tags__icontains=f'"{CONSUMABLE_TAG}"').values_list("pk", flat=True))
    exclude = (bought - consumable) | {p.pk for p in viewed}
    picks = _ranked(store, scores, limit, exclude)
    if len(picks) < limit:
        picks += popular_products(store, limit=limit - len(picks), exclude=exclude | {p.pk for p in picks})
    return picks
