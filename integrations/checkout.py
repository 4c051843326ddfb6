"""Cart links: the shop's own cart, filled with chosen variants, with a discount code applied.

- Shopify: cart permalinks, ``https://<shop>/cart/<variant id>:<qty>,<variant id>:<qty>?discount=CODE``.
- WooCommerce: the project's WordPress plugin (widget/wordpress/shopbot-chat) reads ``shopbot_cart=<id>:<qty>,…``
  and ``shopbot_coupon=CODE``; a single item also uses WooCommerce's own ``add-to-cart=<id>&quantity=<n>``, so
  the link works (without the coupon) on a site without the plugin.
- The demo store has no shop of its own: its link is the demo storefront's cart.

A builder per platform, in a registry: adding a platform adds a function, not an ``if``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings

from integrations.queries import get_connection
from tenants.models import Store

MAX_LINES = 50  # more lines than any chat would pick; keeps the link well under URL length limits


@dataclass(frozen=True)
class CartLine:
    variant_id: str  # the platform's variant id
    quantity: int


def _shopify(shop: str, lines: Sequence[CartLine], code: str) -> str:
    if not lines:  # Shopify's discount link: applies the code, then shows the cart
        return f"https://{shop}/discount/{quote(code, safe='')}?{urlencode({'redirect': '/cart'})}"
    items = ",".join(f"{quote(line.variant_id, safe='')}:{line.quantity}" for line in lines)
    query = f"?{urlencode({'discount': code})}" if code else ""
    return f"https://{shop}/cart/{items}{query}"


def _woocommerce(site: str, lines: Sequence[CartLine], code: str) -> str:
    params: dict[str, str] = {}
    if len(lines) == 1:
        params.update({"add-to-cart": lines[0].variant_id, "quantity": str(lines[0].quantity)})
    elif lines:
        params["shopbot_cart"] = ",".join(f"{line.variant_id}:{line.quantity}" for line in lines)
    if code:
        params["shopbot_coupon"] = code
    return f"{site.rstrip('/')}/cart/?{urlencode(params)}"


BUILDERS: dict[str, Callable[[str, Sequence[CartLine], str], str]] = {
    "shopify": _shopify,
    "woocommerce": _woocommerce,
}


def cart_url(store: Store, lines: Sequence[CartLine], *, code: str = "") -> str:
    """A link that opens the store's cart with ``lines`` in it and ``code`` applied (no lines: a link that only
    applies the code); "" when there is nothing to link to or the store has no shop to send the shopper to."""
    lines = [line for line in lines if line.variant_id and line.quantity > 0][:MAX_LINES]
    if not lines and not code:
        return ""
    connection = get_connection(store)
    builder = BUILDERS.get(connection.platform) if connection is not None and connection.is_connected else None
    if builder is not None:
        return builder(connection.shop, lines, code)
    if store.is_demo:
        query = f"?{urlencode({'discount': code})}" if code else ""
        return f"{settings.PUBLIC_URL}/demo/{store.slug}/cart/{query}"
    return ""
