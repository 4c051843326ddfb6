"""The widget's script, and the demo storefront: a small shop with the widget embedded as a real shop does.

The storefront answers only for demo stores (404 otherwise). Its cart lives in the Django session, and it can
browse as one of the demo shop's customers, signed with the store's identity secret as a real shop would.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from conversations.identity import customer_signature
from integrations import queries
from tenants.models import Store

BUNDLE = Path(__file__).resolve().parent / "static" / "widget" / "shopbot.js"
DEMO_CUSTOMERS = 6  # how many of the demo shop's customers the storefront offers to browse as


@cache_control(public=True, max_age=300)
def widget_script(request):
    """The widget, at a stable address the loader snippet points to (cached for five minutes)."""
    return FileResponse(BUNDLE.open("rb"), content_type="application/javascript; charset=utf-8")


def _demo_store(shop_slug: str) -> Store:
    return get_object_or_404(Store, slug=shop_slug, is_demo=True)


def _cart(request, store: Store) -> dict:
    lines = request.session.get(f"demo-cart-{store.pk}", {})
    variants = {v.platform_id: v for v in queries.get_variants_by_platform_ids(store, list(lines))}
    items = [
        {"variant": variants[vid], "quantity": qty, "total": variants[vid].price * qty}
        for vid, qty in lines.items() if vid in variants
    ]  # fmt: skip
    total = sum((i["total"] for i in items), Decimal(0))
    return {"items": items, "count": sum(i["quantity"] for i in items), "total": total}


def _settings(request, store: Store, cart: dict) -> str:
    """``window.shopbotSettings`` as a real shop's page would render it (JSON, safe inside <script>)."""
    settings = {
        "platform": "custom",
        "cart": {
            "items": [{"product_id": i["variant"].product.platform_id, "variant_id": i["variant"].platform_id,
                       "quantity": i["quantity"], "price": str(i["variant"].price)} for i in cart["items"]],
            "total": str(cart["total"]), "currency": store.currency,
        },
    }  # fmt: skip
    customer = _signed_in(request, store)
    if customer is not None:
        settings["customer"] = {
            "id": customer.platform_id, "email": customer.email, "name": customer.name,
            "signature": customer_signature(store, customer.platform_id),
        }  # fmt: skip
    return json.dumps(settings).replace("<", "\\u003c")


def _signed_in(request, store: Store):
    platform_id = request.session.get(f"demo-customer-{store.pk}")
    return queries.get_customer_by_platform_id(store, platform_id) if platform_id else None


def _page(request, store: Store, template: str, **context):
    cart = _cart(request, store)
    return render(request, f"widget/{template}", {
        "store": store, "cart": cart, "shopbot_settings": _settings(request, store, cart),
        "customers": queries.demo_customers(store, DEMO_CUSTOMERS), "signed_in": _signed_in(request, store),
        **context,
    })  # fmt: skip


def storefront(request, shop_slug):
    store = _demo_store(shop_slug)
    products = queries.active_products(store).order_by("title")[:48]
    return _page(request, store, "storefront.html", products=products)


def product_page(request, shop_slug, handle):
    store = _demo_store(shop_slug)
    product = queries.get_product_by_handle(store, handle)
    if product is None:
        raise Http404("No such product.")
    return _page(request, store, "product.html", product=product)


def cart_page(request, shop_slug):
    return _page(request, _demo_store(shop_slug), "cart.html")


@require_POST
def cart_add(request, shop_slug):
    """The demo shop's add-to-cart (what the widget calls through ``shopbotSettings.addToCart``)."""
    store = _demo_store(shop_slug)
    try:
        data = json.loads(request.body or b"{}")
        variant_id, quantity = str(data["variant_id"]), int(data.get("quantity", 1))
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "Send {variant_id, quantity}."}, status=400)
    variant = next(iter(queries.get_variants_by_platform_ids(store, [variant_id])), None)
    if variant is None or not 1 <= quantity <= 20:
        return JsonResponse({"detail": "No such product, or a quantity outside 1 to 20."}, status=400)
    if not variant.in_stock:
        return JsonResponse({"detail": "That option is sold out."}, status=409)
    key = f"demo-cart-{store.pk}"
    lines = request.session.get(key, {})
    lines[variant_id] = min(20, lines.get(variant_id, 0) + quantity)
    request.session[key] = lines
    return JsonResponse({"count": sum(lines.values())})


@require_POST
def browse_as(request, shop_slug):
    """Browse the demo shop as one of its customers (or as a guest), to see the bot personalize."""
    store = _demo_store(shop_slug)
    platform_id = request.POST.get("customer", "")
    key = f"demo-customer-{store.pk}"
    if platform_id and queries.get_customer_by_platform_id(store, platform_id) is not None:
        request.session[key] = platform_id
    else:
        request.session.pop(key, None)
    return redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/demo/") else "home")
