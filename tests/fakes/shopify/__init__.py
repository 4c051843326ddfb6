"""A fake Shopify: a real HTTP server on 127.0.0.1 speaking the GraphQL Admin API and OAuth token endpoint.

Every query is parsed and validated against Shopify's real Admin schema (2025-01, in ``data/``) and then
executed with graphql-core against the shop's data: cursor pagination, ``sortKey``, ``updated_at`` search
filters, a cost-based leaky bucket (HTTP 200 with a ``THROTTLED`` error and ``extensions.cost``),
``MAX_COST_EXCEEDED`` above 1,000 points, and 401 for a wrong or expired token. Requests reach it through
the real ``ShopifyAPI`` package with ``SHOPIFY_API_BASE_URL`` set to ``fake.url``: each shop lives under
``<url>/<shop domain>/admin/...``. Failures can be scripted per shop (HTML pages, 5xx, dropped connections,
slow answers, tampered JSON).
"""

from tests.fakes.shopify.schema import SINGLE_QUERY_LIMIT, admin_schema, requested_cost
from tests.fakes.shopify.server import FakeShopify
from tests.fakes.shopify.shop import Bucket, FakeShop

__all__ = ["SINGLE_QUERY_LIMIT", "Bucket", "FakeShop", "FakeShopify", "admin_schema", "requested_cost"]
