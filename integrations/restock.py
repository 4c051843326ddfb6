"""Back in stock: who waits for which product, and noticing from the mirror's writes that it came back.

A watch is recorded only while the product (or the chosen variant) is out of stock. Every write of products
into the mirror (a sync's page or a webhook) ends in ``mark_restocked``, which stamps ``restocked_at`` on the
open watches of those products that now have stock, inside the same transaction as the new stock levels.
Telling the shopper is the caller's job (the shop nodes): it reads ``restocked_watches`` and marks each
``notified``.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from integrations.models import Product, RestockWatch, Variant
from tenants.models import Store

_IN_STOCK = Q(inventory_quantity__isnull=True) | Q(inventory_quantity__gt=0)


class NotOutOfStock(ValueError):
    """The product (or variant) can be bought now: there is nothing to wait for."""


def _in_stock(store: Store, product: Product, variant: Variant | None) -> bool:
    variants = Variant.objects.filter(store=store, product=product)
    if variant is not None:
        variants = variants.filter(pk=variant.pk)
    return variants.filter(_IN_STOCK).exists()


@transaction.atomic
def watch_restock(store: Store, product: Product, *, contact_id: int, variant: Variant | None = None) -> RestockWatch:
    """Record that contact ``contact_id`` waits for ``product`` (or just ``variant``) to be back in stock.

    Asking twice keeps one open watch. Raises ``NotOutOfStock`` when it can be bought now. The product and
    variant must be the store's own (resolve client ids with ``access_product`` first).
    """
    if product.store_id != store.pk or (variant is not None and variant.product_id != product.pk):
        raise ValueError("The product or variant is not this store's.")
    if _in_stock(store, product, variant):
        raise NotOutOfStock(f"{product.title} is in stock.")
    watch = RestockWatch.objects.filter(
        store=store, product=product, variant=variant, contact_id=contact_id, restocked_at__isnull=True
    ).first()
    return watch or RestockWatch.objects.create(store=store, product=product, variant=variant, contact_id=contact_id)


def mark_restocked(store: Store, product_ids: list[int], now: datetime) -> int:
    """Stamp the open watches on ``product_ids`` whose product (or variant) has stock again; returns how many.

    Call inside the transaction that wrote the new stock levels.
    """
    open_watches = list(
        RestockWatch.objects.filter(store=store, product_id__in=product_ids, restocked_at__isnull=True)
    )
    if not open_watches:
        return 0
    stocked = set(
        Variant.objects.filter(_IN_STOCK, store=store, product_id__in={w.product_id for w in open_watches})
        .values_list("product_id", "pk")
    )  # fmt: skip
    products = {product_id for product_id, _ in stocked}
    back = [
        w.pk for w in open_watches
        if (w.product_id, w.variant_id) in stocked or (w.variant_id is None and w.product_id in products)
    ]  # fmt: skip
    return RestockWatch.objects.filter(pk__in=back).update(restocked_at=now)


def mark_restock_notified(store: Store, watch_ids: list[int]) -> int:
    """The shoppers of these watches were told; they are not returned by ``restocked_watches`` again."""
    return (
        RestockWatch.objects.filter(store=store, pk__in=watch_ids, restocked_at__isnull=False, notified_at__isnull=True)
        .update(notified_at=timezone.now())
    )  # fmt: skip


def delete_contact_watches(store: Store, contact_id: int) -> int:
    """Forget a contact's watches (their data is being erased)."""
    deleted, _ = RestockWatch.objects.filter(store=store, contact_id=contact_id).delete()
    return deleted
