"""Discount codes on WooCommerce: ``POST coupons`` (wc/v3) through the ``woocommerce`` package.

The consumer key needs Read/Write access. WooCommerce refuses a code that exists
(``woocommerce_rest_coupon_code_already_exists``, HTTP 400); the refusal reaches the owner in its own words."""

from integrations.adapters import PlatformError
from integrations.discounts import DiscountRefused, DiscountSpec
from integrations.woocommerce.client import RetryPolicy, WooClient

POLICY = RetryPolicy(timeout=10.0, delays=())


def coupon_body(spec: DiscountSpec) -> dict:
    return {
        "code": spec.code, "discount_type": "percent", "amount": str(spec.percent), "description": spec.title,
        "individual_use": True, "usage_limit": 1, "usage_limit_per_user": 1,
        "date_expires_gmt": spec.ends_at.strftime("%Y-%m-%dT%H:%M:%S"),
    }  # fmt: skip


def create_discount(connection, spec: DiscountSpec) -> str:
    secrets = connection.secrets()
    client = WooClient(connection.shop, secrets.get("consumer_key", ""), secrets.get("consumer_secret", ""), POLICY)
    try:
        answer = client.post("coupons", coupon_body(spec))
    except PlatformError as exc:
        raise DiscountRefused(f"WooCommerce refused the coupon: {exc}") from None
    code = answer.data.get("code") if isinstance(answer.data, dict) else None
    if not code:
        raise DiscountRefused("WooCommerce answered without creating the coupon.")
    return str(code).upper() if code.lower() == spec.code.lower() else str(code)
