"""The mirror of a connected shop, shared by every platform adapter, and the connection that feeds it.

Every mirrored row carries its store and the platform's own id (``platform_id``: the numeric id as a
decimal string, for Shopify and WooCommerce alike) and is unique per (store, platform_id), so a sync can
upsert pages in bulk and running it twice changes nothing. ``platform_updated_at`` is the platform's
updated-at for that row; incremental syncs ask for rows changed after the newest one seen.
"""

import json

from django.db import models
from django.utils import timezone

from tenants.fields import EncryptedTextField
from tenants.models import Store


class Platform(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"


class SyncStatus(models.TextChoices):
    NEVER = "never", "Never synced"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    OK = "ok", "Up to date"
    FAILED = "failed", "Failed"


class Connection(models.Model):
    """A store's link to its shop platform: credentials (encrypted) and the state of its sync.

    One per store. Disconnecting blanks the credentials but keeps the row, so the dashboard can tell
    which shop the mirror came from and a reconnect to another shop can clear the old mirror first.
    """

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="shop_connection")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    # Shopify: the shop's myshopify.com domain; WooCommerce: the site's base URL.
    shop = models.CharField(max_length=255)
    shop_name = models.CharField(max_length=255, blank=True)
    # JSON of the platform's secrets (Shopify: access_token, refresh_token), encrypted at rest.
    credentials = EncryptedTextField(blank=True, default="")
    credential_hint = models.CharField(max_length=16, blank=True)  # e.g. "…a1b2", safe to show
    token_expires_at = models.DateTimeField(null=True, blank=True)
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=500, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)

    sync_status = models.CharField(max_length=10, choices=SyncStatus.choices, default=SyncStatus.NEVER)
    sync_full = models.BooleanField(default=False)  # the running (or last) sync re-reads everything
    sync_started_at = models.DateTimeField(null=True, blank=True)
    sync_lease_until = models.DateTimeField(null=True, blank=True)  # a running sync's lock; expires if killed
    last_synced_at = models.DateTimeField(null=True, blank=True)  # last sync that finished
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    progress = models.JSONField(default=dict, blank=True)  # {"resource": "products", "done": 40, "total": 90}
    counts = models.JSONField(default=dict, blank=True)  # rows in the mirror after the last sync
    # Per resource: {"since": watermark, "after": page cursor, "run_since": ..., "run_started": ...}
    cursors = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["platform", "sync_status"])]

    def __str__(self):
        return f"{self.get_platform_display()} {self.shop} for {self.store}"

    @property
    def is_connected(self) -> bool:
        return bool(self.credentials)

    def secrets(self) -> dict:
        return json.loads(self.credentials) if self.credentials else {}


class MirrorRow(models.Model):
    """Columns every mirrored row has."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    platform_id = models.CharField(max_length=40)
    platform_updated_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


def _unique(name: str):
    return [models.UniqueConstraint(fields=["store", "platform_id"], name=f"{name}_platform_id_unique")]


class ProductStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DRAFT = "draft", "Draft"
    ARCHIVED = "archived", "Archived"


class Product(MirrorRow):
    title = models.CharField(max_length=255)
    handle = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)  # plain text, for search and the bot
    description_html = models.TextField(blank=True)  # as the shop wrote it; never render unsanitised
    vendor = models.CharField(max_length=255, blank=True)
    product_type = models.CharField(max_length=255, blank=True)
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=ProductStatus.choices, default=ProductStatus.ACTIVE)
    images = models.JSONField(default=list, blank=True)  # [{"url": ..., "alt": ...}], first is the main one
    url = models.URLField(max_length=500, blank=True)  # the product page on the shop, when published
    platform_created_at = models.DateTimeField(null=True, blank=True)
    # What search matches: title, type, vendor, tags and variant option values, lower-cased; written by the
    # mirror with the row. PostgreSQL indexes it for full-text and trigram search, SQLite in an FTS5 table
    # (migration 0002_catalog_search).
    search_text = models.TextField(blank=True, default="")
    # Whether any variant can be bought (in stock, or stock not tracked) and the lowest variant price; written by
    # the mirror with the variants, so that search and recommendations can rank and filter thousands of products
    # without visiting their variants.
    in_stock = models.BooleanField(default=False)
    min_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)  # the cheapest variant's

    class Meta:
        constraints = _unique("product")
        indexes = [
            models.Index(fields=["store", "handle"]),
            models.Index(fields=["store", "platform_updated_at"]),
            models.Index(fields=["store", "product_type"]),
        ]
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    @property
    def image_url(self) -> str:
        return self.images[0]["url"] if self.images else ""


class Variant(MirrorRow):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    title = models.CharField(max_length=255)
    options = models.JSONField(default=dict, blank=True)  # {"Colour": "Sage", "Size": "M"}
    price = models.DecimalField(max_digits=12, decimal_places=2)
    compare_at_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    sku = models.CharField(max_length=255, blank=True)
    inventory_quantity = models.IntegerField(null=True, blank=True)  # None: the shop does not track stock
    position = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = _unique("variant")
        indexes = [models.Index(fields=["store", "sku"])]
        ordering = ["product_id", "position", "id"]

    def __str__(self):
        return f"{self.product_id}: {self.title}"

    @property
    def in_stock(self) -> bool:
        return self.inventory_quantity is None or self.inventory_quantity > 0


class Collection(MirrorRow):
    title = models.CharField(max_length=255)
    handle = models.CharField(max_length=255, blank=True)
    description_html = models.TextField(blank=True)
    products = models.ManyToManyField(Product, through="CollectionProduct", related_name="collections")

    class Meta:
        constraints = _unique("collection")
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


class CollectionProduct(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE)
    product = models.ForeignKey(Product, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["collection", "product"], name="collection_product_unique")]

    def __str__(self):
        return f"{self.product_id} in {self.collection_id}"


class Customer(MirrorRow):
    first_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)  # lower-cased; not validated, shops hold odd ones
    phone = models.CharField(max_length=64, blank=True)
    tags = models.JSONField(default=list, blank=True)
    orders_count = models.PositiveIntegerField(default=0)
    amount_spent = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, blank=True)
    platform_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = _unique("customer")
        indexes = [models.Index(fields=["store", "email"])]
        ordering = ["last_name", "first_name", "id"]

    def __str__(self):
        return self.name or self.email or self.platform_id

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Order(MirrorRow):
    name = models.CharField(max_length=64)  # what the shopper sees, e.g. "#1001"
    number = models.PositiveIntegerField(null=True, blank=True)
    email = models.CharField(max_length=255, blank=True)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders")
    customer_platform_id = models.CharField(max_length=40, blank=True)  # kept even before the customer syncs
    financial_status = models.CharField(max_length=32, blank=True)  # lower-case, e.g. "paid", "refunded"
    fulfillment_status = models.CharField(max_length=32, blank=True)  # e.g. "unfulfilled", "fulfilled"
    subtotal = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    status_url = models.URLField(max_length=500, blank=True)
    placed_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = _unique("order")
        indexes = [
            models.Index(fields=["store", "email"]),
            models.Index(fields=["store", "name"]),
            models.Index(fields=["store", "placed_at"]),
        ]
        ordering = ["-placed_at", "-id"]

    def __str__(self):
        return self.name


class LineItem(MirrorRow):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="line_items")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    variant = models.ForeignKey(Variant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    product_platform_id = models.CharField(max_length=40, blank=True)
    variant_platform_id = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=255)
    variant_title = models.CharField(max_length=255, blank=True)
    sku = models.CharField(max_length=255, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = _unique("lineitem")
        ordering = ["order_id", "id"]

    def __str__(self):
        return f"{self.quantity} x {self.title}"


class FulfillmentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    OPEN = "open", "Open"
    SUCCESS = "success", "Shipped"
    CANCELLED = "cancelled", "Cancelled"
    ERROR = "error", "Error"
    FAILURE = "failure", "Failed"


class Fulfillment(MirrorRow):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    status = models.CharField(max_length=16, choices=FulfillmentStatus.choices, default=FulfillmentStatus.SUCCESS)
    carrier = models.CharField(max_length=255, blank=True)
    tracking_number = models.CharField(max_length=255, blank=True)
    tracking_url = models.URLField(max_length=1000, blank=True)
    platform_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = _unique("fulfillment")
        ordering = ["order_id", "platform_created_at", "id"]

    def __str__(self):
        return f"{self.carrier} {self.tracking_number}".strip() or self.platform_id


class CatalogWord(models.Model):
    """A word of the store's active catalog and how many active products hold it.

    The words are the lower-cased tokens of the products' search text and description (letters only, 3 to 40
    characters). Search corrects a shopper's typo against these few thousand rows instead of the products. On
    PostgreSQL triggers on the product table keep the counts exact in the writing transaction, whatever writes
    the products (sync, webhook, delete, cascade); ``rebuild_catalog_words`` recounts a store from scratch. Empty
    on SQLite (the demo), whose search tolerates typos through FTS5 prefixes instead.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=40)
    # Not a PositiveIntegerField: the trigger adds signed deltas and removes the rows that reach zero.
    products = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "word"], name="catalogword_store_word_unique")]

    def __str__(self):
        return f"{self.word} ({self.products})"


class RecommendationKind(models.TextChoices):
    BOUGHT_TOGETHER = "bought_together", "Bought together"
    POPULAR = "popular", "Popular"


class Recommendation(models.Model):
    """Precomputed from the synced orders (``refresh_recommendations`` after every sync): for ``product``, how
    strongly ``recommended`` goes with it (orders holding both); for POPULAR, ``product`` is empty and the
    score is how many orders hold ``recommended``. Replaced whole per store, never edited."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RecommendationKind.choices)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recommended = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["store", "kind", "product", "-score"])]

    def __str__(self):
        return f"{self.kind}: {self.product_id} -> {self.recommended_id}"


class RestockWatch(models.Model):
    """A shopper waiting for an out-of-stock product (or one of its variants) to come back.

    ``contact_id`` names a ``conversations.Contact`` by id: integrations imports no other app, so it is a
    plain column and the conversations app removes a contact's watches with the contact. A sync or webhook
    that brings the stock back sets ``restocked_at``; whoever tells the shopper sets ``notified_at``.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(Variant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    contact_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    restocked_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["store", "product", "restocked_at"])]

    def __str__(self):
        return f"contact {self.contact_id} waits for {self.product_id}"


MIRROR_MODELS = [Product, Variant, Collection, Customer, Order, LineItem, Fulfillment]


class WebhookStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    APPLIED = "applied", "Applied"
    SKIPPED = "skipped", "Skipped (older than the mirror, or nothing to do)"
    FAILED = "failed", "Failed"


class InboundWebhook(models.Model):
    """A signed webhook a shop platform sent, kept once per delivery id and processed in Celery.

    The platform's delivery id (Shopify ``X-Shopify-Event-Id``, WooCommerce ``X-WC-Webhook-Delivery-ID``) is
    unique per store and platform, so a replayed delivery finds its row and is answered without a second run.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    topic = models.CharField(max_length=64)  # "orders/updated", "product.updated"
    delivery_id = models.CharField(max_length=128)
    body = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=WebhookStatus.choices, default=WebhookStatus.RECEIVED)
    processed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "platform", "delivery_id"], name="inbound_webhook_delivery_unique")
        ]
        indexes = [models.Index(fields=["store", "-received_at"])]
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.platform} {self.topic} {self.delivery_id}"


class PrivacyKind(models.TextChoices):
    DATA_REQUEST = "data_request", "Shopper's data requested"
    REDACT_SHOPPER = "redact_shopper", "Shopper's data erased"
    REDACT_SHOP = "redact_shop", "Shop's data erased"


class PrivacyRequest(models.Model):
    """The log of a privacy request (from Shopify's mandatory webhooks or an owner in the dashboard).

    ``key`` makes a request idempotent: a repeated webhook finds the row and does not run twice. The store
    link is nulled if the store itself is erased; ``store_label`` and ``shop`` keep who it was for.
    """

    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    store_label = models.CharField(max_length=255)
    shop = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=20)  # "shopify" or "dashboard"
    kind = models.CharField(max_length=20, choices=PrivacyKind.choices)
    key = models.CharField(max_length=160, unique=True)
    shopper = models.JSONField(default=dict, blank=True)  # the identifiers the request named
    result = models.JSONField(default=dict, blank=True)  # rows erased per app, or the export
    requested_by = models.CharField(max_length=255, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["store", "-requested_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.store_label}"


class OutboundEvent(models.TextChoices):
    LEAD_CAPTURED = "lead.captured", "Lead captured"
    HANDOFF_REQUESTED = "handoff.requested", "Handoff requested"
    CONVERSATION_RESOLVED = "conversation.resolved", "Conversation resolved"
    RATING_GIVEN = "rating.given", "Rating given"
    ORDER_STATUS_ASKED = "order_status.asked", "Order status asked"


class WebhookEndpoint(models.Model):
    """Where a store wants its events posted (its CRM, Zapier, its own server), signed with ``secret``."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)  # OutboundEvent values
    secret = EncryptedTextField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_status = models.CharField(max_length=200, blank=True)  # "200", or the error of the last try
    last_delivery_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class WebhookDelivery(models.Model):
    """One event for one endpoint: the exact body sent (so every retry signs the same bytes) and its tries."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=OutboundEvent.choices)
    body = models.TextField()  # JSON text, signed as is
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["endpoint", "-created_at"])]

    def __str__(self):
        return f"{self.event} to {self.endpoint_id}"
