"""Discount codes on Shopify: ``discountCodeBasicCreate`` through the GraphQL Admin API (needs the
``write_discounts`` scope). Shopify answers a refusal as ``userErrors`` (a taken code, a value out of range) or,
without the scope, as an ``ACCESS_DENIED`` error; both become ``DiscountRefused`` with Shopify's own words."""

from integrations.adapters import AuthError, PlatformError
from integrations.discounts import DiscountRefused, DiscountSpec
from integrations.shopify import queries as q
from integrations.shopify.client import GraphQLClient, RetryPolicy, shopify_session

# A shopper is waiting, and a mutation sent twice could create two codes: one try, a short time-out.
POLICY = RetryPolicy(timeout=10.0, delays=(), max_throttle_waits=2)


def basic_code_input(spec: DiscountSpec) -> dict:
    """A single-use code for ``percent`` off every item, for any customer, within its dates."""
    return {
        "title": spec.title, "code": spec.code,
        "startsAt": spec.starts_at.isoformat(), "endsAt": spec.ends_at.isoformat(),
        "customerSelection": {"all": True},
        "customerGets": {"value": {"percentage": round(spec.percent / 100, 4)}, "items": {"all": True}},
        "appliesOncePerCustomer": True, "usageLimit": 1,
    }  # fmt: skip


def create_discount(connection, spec: DiscountSpec) -> str:
    """Create the code on the connection's shop; returns it as Shopify stored it."""
    token = connection.secrets().get("access_token", "")
    try:
        with shopify_session(connection.shop, token):
            data = GraphQLClient(connection.shop, POLICY).query(
                q.DISCOUNT_CODE_BASIC_CREATE, {"basicCodeDiscount": basic_code_input(spec)}
            )
    except AuthError as exc:
        raise DiscountRefused(f"Shopify refused to create a discount code: {exc}") from None
    except PlatformError as exc:
        raise DiscountRefused(str(exc)) from None
    answer = data.get("discountCodeBasicCreate") or {}
    errors = answer.get("userErrors") or []
    if errors:
        said = "; ".join(str(e.get("message")) for e in errors[:3])
        raise DiscountRefused(f"Shopify refused the discount code: {said}")
    node = (answer.get("codeDiscountNode") or {}).get("codeDiscount") or {}
    codes = ((node.get("codes") or {}).get("nodes")) or []
    if not codes or not codes[0].get("code"):
        raise DiscountRefused("Shopify answered without creating the discount code.")
    return codes[0]["code"]
