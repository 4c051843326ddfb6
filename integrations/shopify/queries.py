"""The GraphQL Admin API queries the Shopify adapter sends.

Page sizes keep each query's requested cost under Shopify's single-query limit of 1,000 points (a
connection costs about 2 + first x its node's cost; an object 1; scalars nothing). Nested lists that
overflow (a product's 17th variant, an order's 21st line item) are read by the follow-up queries below.
Every field here exists in the 2025-01 schema the test fake validates against and is not deprecated,
except ``Customer.email``: its replacement (``defaultEmailAddress``) is missing from that schema.
"""

PRODUCTS_PAGE = 20
VARIANTS_PAGE = 16
CUSTOMERS_PAGE = 250
ORDERS_PAGE = 8
LINE_ITEMS_PAGE = 20
COLLECTIONS_PAGE = 10
COLLECTION_PRODUCTS_PAGE = 80

VARIANT_FIELDS = """
  id title sku price compareAtPrice inventoryQuantity position updatedAt
  selectedOptions { name value }
"""

LINE_ITEM_FIELDS = """
  id title variantTitle sku quantity
  originalUnitPriceSet { shopMoney { amount } }
  variant { id }
  product { id }
"""

PRODUCTS = f"""
query Products($first: Int!, $after: String, $query: String) {{
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      id title handle description descriptionHtml vendor productType tags status
      onlineStoreUrl createdAt updatedAt
      media(first: 4) {{ nodes {{ ... on MediaImage {{ alt image {{ url altText }} }} }} }}
      variants(first: {VARIANTS_PAGE}) {{
        pageInfo {{ hasNextPage endCursor }}
        nodes {{ {VARIANT_FIELDS} }}
      }}
    }}
  }}
}}
"""

PRODUCT_VARIANTS = f"""
query ProductVariants($id: ID!, $after: String) {{
  product(id: $id) {{
    variants(first: 100, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ {VARIANT_FIELDS} }}
    }}
  }}
}}
"""

COLLECTIONS = f"""
query Collections($first: Int!, $after: String, $query: String) {{
  collections(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      id title handle descriptionHtml updatedAt
      products(first: {COLLECTION_PRODUCTS_PAGE}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }}
    }}
  }}
}}
"""

COLLECTION_PRODUCTS = """
query CollectionProducts($id: ID!, $after: String) {
  collection(id: $id) {
    products(first: 250, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
  }
}
"""

CUSTOMERS = """
query Customers($first: Int!, $after: String, $query: String) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id firstName lastName email phone tags numberOfOrders createdAt updatedAt
      amountSpent { amount currencyCode }
    }
  }
}
"""

ORDERS = f"""
query Orders($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      id name email createdAt updatedAt cancelledAt currencyCode statusPageUrl
      displayFinancialStatus displayFulfillmentStatus
      customer {{ id }}
      totalPriceSet {{ shopMoney {{ amount currencyCode }} }}
      subtotalPriceSet {{ shopMoney {{ amount }} }}
      lineItems(first: {LINE_ITEMS_PAGE}) {{
        pageInfo {{ hasNextPage endCursor }}
        nodes {{ {LINE_ITEM_FIELDS} }}
      }}
      fulfillments(first: 5) {{
        id status createdAt updatedAt
        trackingInfo(first: 3) {{ company number url }}
      }}
    }}
  }}
}}
"""

ORDER_LINE_ITEMS = f"""
query OrderLineItems($id: ID!, $after: String) {{
  order(id: $id) {{
    lineItems(first: 100, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ {LINE_ITEM_FIELDS} }}
    }}
  }}
}}
"""

# A first full import of a large catalog reads products as one bulk operation: no page sizes, no cost per
# page; Shopify writes every product and its variants and images to a JSONL file.
BULK_PRODUCTS = f"""
{{
  products {{
    edges {{ node {{
      id title handle description descriptionHtml vendor productType tags status onlineStoreUrl createdAt updatedAt
      media {{ edges {{ node {{ ... on MediaImage {{ id alt image {{ url altText }} }} }} }} }}
      variants {{ edges {{ node {{ {VARIANT_FIELDS} }} }} }}
    }} }}
  }}
}}
"""

BULK_RUN = """
mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } }
}
"""

BULK_CURRENT = "query BulkCurrent { currentBulkOperation { id status errorCode objectCount url } }"

SHOP = "query Shop { shop { name myshopifyDomain currencyCode ianaTimezone } }"

COUNTS = {
    "products": "query Count($query: String) { count: productsCount(query: $query, limit: null) { count } }",
    "customers": "query Count($query: String) { count: customersCount(query: $query) { count } }",
    "orders": "query Count($query: String) { count: ordersCount(query: $query, limit: null) { count } }",
}

PAGES = {
    "products": (PRODUCTS, PRODUCTS_PAGE),
    "collections": (COLLECTIONS, COLLECTIONS_PAGE),
    "customers": (CUSTOMERS, CUSTOMERS_PAGE),
    "orders": (ORDERS, ORDERS_PAGE),
}

WEBHOOK_SUBSCRIPTIONS_PAGE = 100

WEBHOOK_SUBSCRIPTIONS = """
query WebhookSubscriptions($first: Int!, $after: String, $callbackUrl: URL) {
  webhookSubscriptions(first: $first, after: $after, callbackUrl: $callbackUrl) {
    pageInfo { hasNextPage endCursor }
    nodes { id topic format endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } }
  }
}
"""

WEBHOOK_SUBSCRIPTION_CREATE = """
mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}
"""

WEBHOOK_SUBSCRIPTION_UPDATE = """
mutation WebhookSubscriptionUpdate($id: ID!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionUpdate(id: $id, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}
"""

DISCOUNT_CODE_BASIC_CREATE = """
mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode {
      id
      codeDiscount { ... on DiscountCodeBasic { title status codes(first: 1) { nodes { code } } } }
    }
    userErrors { field code message }
  }
}
"""
