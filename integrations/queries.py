"""Store-scoped reads of the mirror: what other apps (flows, conversations, analytics) may call.

Every function takes the store first and never returns another store's rows; ids from a client go
through ``access_*``, which answers 404 alike for a missing row and another store's row.
"""

import re
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from integrations.models import (
    Collection,
    CollectionProduct,
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
    return active_products(store).filter(in_stock=True)


def get_variants_by_ids(store: Store, variant_ids: Iterable[int]) -> list[Variant]:
    return list(Variant.objects.filter(store=store, pk__in=list(variant_ids)).select_related("product"))


def get_variants_by_platform_ids(store: Store, platform_ids: Iterable[str]) -> list[Variant]:
    return list(
        Variant.objects.filter(store=store, platform_id__in=[str(i) for i in platform_ids]).select_related("product")
    )


def demo_customers(store: Store, limit: int) -> list[Customer]:
    """The customers with the most orders first (the demo storefront offers to browse as them)."""
    return list(Customer.objects.filter(store=store).order_by("-orders_count", "id")[:limit])


def browsable_collections(store: Store, *, limit: int = 8) -> list[Collection]:
    """Collections with at least one active product, by title (the "browse by collection" menu)."""
    active = CollectionProduct.objects.filter(
        store=store, collection=OuterRef("pk"), product__status=ProductStatus.ACTIVE
    )
    return list(Collection.objects.filter(store=store).filter(Exists(active)).order_by("title", "id")[:limit])


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


ORDER_WORDS = re.compile(r"^(?:(?:order|purchase)\s*(?:no\.?|num(?:ber)?|id)?\s*[:.]?\s*)?#?\s*", re.IGNORECASE)


def order_reference(text: str) -> str:
    """What a shopper calls an order, without "order", "no.", "#" and spaces: "Order no. #1042" -> "1042"."""
    return ORDER_WORDS.sub("", (text or "").strip(), count=1).strip()[:64]


def get_order_by_name(store: Store, name: str, *, email: str) -> Order | None:
    """An order by what the shopper calls it ("#1001", "1001", "order 1001", "#EU1001"), only if the email
    matches it.

    Asking for the email too keeps a shopper from reading someone else's order by guessing numbers: a wrong
    email and an unknown number both give None.
    """
    reference, email = order_reference(name), email.strip().lower()
    if not reference or not email:
        return None
    match = Q(name__iexact=reference) | Q(name__iexact=f"#{reference}")
    if reference.isdigit() and len(reference) <= 9:
        match |= Q(number=int(reference))
    return _orders(store).filter(match, email=email).order_by("-placed_at", "-id").first()


def get_order_in_store(store: Store, order_id) -> Order | None:
    try:
        return _orders(store).filter(pk=int(order_id)).first()
    except (TypeError, ValueError):
        return None


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
    from integrations.recommendations import for_product

    return for_product(store, product, limit=limit)


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


# Pickers in the flow builder: small, read-only, store-scoped lists.

PICKER_LIMIT = 50


def pick_products(store: Store, text: str = "") -> list[dict]:
    """Active products whose title or handle contains ``text``, for the builder's product picker."""
    rows = Product.objects.filter(store=store, status=ProductStatus.ACTIVE).order_by("title", "id")
    if text.strip():
        rows = rows.filter(Q(title__icontains=text.strip()) | Q(handle__icontains=text.strip()))
    return [{"handle": p.handle, "title": p.title, "image_url": p.image_url} for p in rows[:PICKER_LIMIT]]


def pick_collections(store: Store, text: str = "") -> list[dict]:
    rows = Collection.objects.filter(store=store).exclude(handle="")
    if text.strip():
        rows = rows.filter(title__icontains=text.strip())
    return list(rows.values("handle", "title")[:PICKER_LIMIT])


def pick_customers(store: Store, text: str = "") -> list[dict]:
    """Synced customers, most orders first, for previewing a flow as if one of them were logged in."""
    rows = Customer.objects.filter(store=store).order_by("-orders_count", "id")
    if text.strip():
        word = text.strip()
        rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    return [
        {"id": c.platform_id, "name": c.name, "email": c.email, "orders_count": c.orders_count}
        for c in rows[:PICKER_LIMIT]
    ]


def shipped_since(store: Store, since, *, limit: int = 500) -> list:
    """Successful fulfillments the platform created after ``since``, of orders with a synced customer."""
    from integrations.models import Fulfillment, FulfillmentStatus

    rows = Fulfillment.objects.filter(
        store=store, status=FulfillmentStatus.SUCCESS, platform_created_at__gt=since, order__customer__isnull=False
    )
    return list(rows.select_related("order").order_by("platform_created_at", "id")[:limit])


def orders_of_customers(
    store: Store, customer_ids: Iterable[int], platform_customer_ids: Iterable[str], *, since, until
) -> list[Order]:
    """Orders not cancelled, placed in [since, until] by these customers (by mirror id or platform id).

    The platform id catches orders synced before their customer was; oldest first.
    """
    who = Q(customer_id__in=list(customer_ids)) | Q(customer_platform_id__in=[p for p in platform_customer_ids if p])
    rows = Order.objects.filter(who, store=store, placed_at__gte=since, placed_at__lte=until, cancelled_at=None)
    return list(rows.order_by("placed_at", "id"))
