"""Store-scoped reads of the mirror: what other apps (flows, conversations, analytics) may call.

Every function takes the store first and never returns another store's rows; ids from a client go
through ``access_*``, which answers 404 alike for a missing row and another store's row.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from integrations.models import (
    Collection,
    Connection,
    Customer,
    LineItem,
    Order,
    Product,
    ProductStatus,
    RestockWatch,
    Variant,
)
from tenants.models import Store


def get_connection(store: Store) -> Connection | None:
    return Connection.objects.filter(store=store).first()


def mirror_counts(store: Store) -> dict[str, int]:
    return {
        "products": Product.objects.filter(store=store).count(),
        "variants": Variant.objects.filter(store=store).count(),
        "collections": Collection.objects.filter(store=store).count(),
        "customers": Customer.objects.filter(store=store).count(),
        "orders": Order.objects.filter(store=store).count(),
    }


def _products(store: Store) -> QuerySet[Product]:
    return Product.objects.filter(store=store).prefetch_related(
        Prefetch("variants", queryset=Variant.objects.filter(store=store).order_by("position", "id"))
    )


def access_product(store: Store, product_id) -> Product:
    return get_object_or_404(_products(store), pk=product_id)


def get_products_by_ids(store: Store, product_ids: Iterable[int]) -> list[Product]:
    """Products (with variants) in the order asked; ids of other stores or missing ones are left out."""
    ids = [int(i) for i in product_ids]
    found = {p.pk: p for p in _products(store).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def get_products_by_platform_ids(store: Store, platform_ids: Iterable[str]) -> list[Product]:
    return list(_products(store).filter(platform_id__in=[str(i) for i in platform_ids]))


def get_product_by_handle(store: Store, handle: str) -> Product | None:
    return _products(store).filter(handle=handle).first()


def active_products(store: Store) -> QuerySet[Product]:
    """What shoppers may be shown: active products, with their variants."""
    return _products(store).filter(status=ProductStatus.ACTIVE)


def available_products(store: Store) -> QuerySet[Product]:
    """Active products with at least one variant in stock (or not stock-tracked): what may be recommended."""
    in_stock = Variant.objects.filter(store=store, product=OuterRef("pk")).filter(
        Q(inventory_quantity__isnull=True) | Q(inventory_quantity__gt=0)
    )
    return active_products(store).filter(Exists(in_stock))


def get_variants_by_ids(store: Store, variant_ids: Iterable[int]) -> list[Variant]:
    return list(Variant.objects.filter(store=store, pk__in=list(variant_ids)).select_related("product"))


def get_variants_by_platform_ids(store: Store, platform_ids: Iterable[str]) -> list[Variant]:
    return list(
        Variant.objects.filter(store=store, platform_id__in=[str(i) for i in platform_ids]).select_related("product")
    )


def demo_customers(store: Store, limit: int) -> list[Customer]:
    """The customers with the most orders first (the demo storefront offers to browse as them)."""
    return list(Customer.objects.filter(store=store).order_by("-orders_count", "id")[:limit])


def get_customer_by_platform_id(store: Store, platform_id: str) -> Customer | None:
    """The customer a verified widget identity names (its platform id as a decimal string)."""
    return Customer.objects.filter(store=store, platform_id=str(platform_id)).first()


def get_customer_by_email(store: Store, email: str) -> Customer | None:
    return Customer.objects.filter(store=store, email=email.strip().lower()).order_by("-orders_count").first()


def _orders(store: Store) -> QuerySet[Order]:
    return Order.objects.filter(store=store).prefetch_related(
        Prefetch("line_items", queryset=LineItem.objects.filter(store=store)),
        "fulfillments",
    )


def orders_of_customer(store: Store, customer: Customer, *, limit: int = 20) -> list[Order]:
    """The customer's orders, newest first (also those placed with the customer's email before sign-up)."""
    match = Q(customer=customer) | Q(email=customer.email) if customer.email else Q(customer=customer)
    return list(_orders(store).filter(match).order_by("-placed_at", "-id")[:limit])


def orders_for_email(store: Store, email: str, *, limit: int = 20) -> list[Order]:
    email = email.strip().lower()
    if not email:
        return []
    return list(_orders(store).filter(email=email).order_by("-placed_at", "-id")[:limit])


def get_order_by_name(store: Store, name: str, *, email: str) -> Order | None:
    """An order by what the shopper calls it ("#1001" or "1001"), only if the email matches it.

    Asking for the email too keeps a shopper from reading someone else's order by guessing numbers.
    """
    name = name.strip()
    if not name or not email.strip():
        return None
    names = {name, f"#{name.lstrip('#')}"}
    return _orders(store).filter(name__in=names, email=email.strip().lower()).first()


def access_order(store: Store, order_id) -> Order:
    return get_object_or_404(_orders(store), pk=order_id)


def access_endpoint(store, endpoint_id: int):
    """The store's outbound webhook endpoint; 404 alike for a missing one and another store's."""
    from django.http import Http404

    from integrations.models import WebhookEndpoint

    endpoint = WebhookEndpoint.objects.filter(store=store, pk=endpoint_id).first()
    if endpoint is None:
        raise Http404("No such endpoint.")
    return endpoint


def endpoints_with_deliveries(store, per_endpoint: int = 10) -> list:
    """The store's endpoints, each with ``recent`` (its last deliveries)."""
    from integrations.models import WebhookEndpoint

    endpoints = list(WebhookEndpoint.objects.filter(store=store))
    for endpoint in endpoints:
        endpoint.recent = list(endpoint.deliveries.all()[:per_endpoint])
    return endpoints


def privacy_log(store, limit: int = 50) -> list:
    from integrations.models import PrivacyRequest

    return list(PrivacyRequest.objects.filter(store=store)[:limit])


CATALOG_NAMES_LIMIT = 2000


def catalog_names(store: Store) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(id, title) of the store's active products and of its collections, for matching names in chat."""
    products = list(active_products(store).order_by().values_list("pk", "title")[:CATALOG_NAMES_LIMIT])
    collections = list(Collection.objects.filter(store=store).values_list("pk", "title")[:CATALOG_NAMES_LIMIT])
    return products, collections


# Catalog search, recommendations and restock watches: the functions flows call (see docs/search.md).


def search_products(store: Store, text: str, filters=None, *, limit: int = 10) -> list[Product]:
    """Ranked products (with variants) for what a shopper typed; ``filters`` is a ``search_filters.Filters``."""
    from integrations.search import search

    return search(store, text, filters, limit=limit)


def recommend_for_product(store: Store, product: Product, *, limit: int = 5) -> dict[str, list[Product]]:
    """{"bought_together": [...], "similar": [...]} for a product page or card."""
    from integrations import recommendations

    return {
        "bought_together": recommendations.bought_together(store, product, limit=limit),
        "similar": recommendations.similar_products(store, product, limit=limit),
    }


def recommend_for_contact(store: Store, *, purchased_ids=(), viewed_ids=(), customer=None, limit: int = 5):
    from integrations.recommendations import recommendations_for_contact

    return recommendations_for_contact(
        store, purchased_ids=purchased_ids, viewed_ids=viewed_ids, customer=customer, limit=limit
    )


def waiting_for_restock(store: Store, product: Product) -> list[int]:
    """Contact ids with an open watch on the product (or one of its variants)."""
    watches = RestockWatch.objects.filter(store=store, product=product, restocked_at__isnull=True)
    return sorted(set(watches.values_list("contact_id", flat=True)))


def restocked_watches(store: Store, *, limit: int = 500):
    """Watches whose product came back and whose shopper has not been told yet, oldest first."""
    return list(
        RestockWatch.objects.filter(store=store, restocked_at__isnull=False, notified_at__isnull=True)
        .select_related("product", "variant").order_by("restocked_at", "id")[:limit]
    )  # fmt: skip


def orders_of_customers(
    store: Store, customer_ids: Iterable[int], platform_customer_ids: Iterable[str], *, since, until
) -> list[Order]:
    """Orders not cancelled, placed in [since, until] by these customers (by mirror id or platform id).

    The platform id catches orders synced before their customer was; oldest first.
    """
    who = Q(customer_id__in=list(customer_ids)) | Q(customer_platform_id__in=[p for p in platform_customer_ids if p])
    rows = Order.objects.filter(who, store=store, placed_at__gte=since, placed_at__lte=until, cancelled_at=None)
    return list(rows.order_by("placed_at", "id"))
