"""Shopify webhook subscriptions: the topics the receiver handles, registered through the GraphQL Admin API.

Privacy topics (``customers/data_request`` and the redacts) cannot be subscribed through the API: Shopify
takes them from the app's configuration only.
"""

from dataclasses import dataclass

from integrations.adapters import PlatformError
from integrations.shopify import queries as q
from integrations.shopify.client import GraphQLClient
from integrations.shopify.webhooks import TOPICS


def topic_enum(topic: str) -> str:
    """``orders/updated`` -> ``ORDERS_UPDATED`` (the GraphQL ``WebhookSubscriptionTopic`` value)."""
    return topic.replace("/", "_").upper()


# What is subscribed when a store connects: every topic the receiver applies.
REGISTERED = [topic_enum(t) for t in TOPICS]


@dataclass
class Registration:
    created: int = 0
    updated: int = 0
    kept: int = 0


def existing(client: GraphQLClient, callback_url: str) -> dict[str, dict]:
    """The shop's subscriptions already pointing at ``callback_url``, by topic."""
    found, after = {}, None
    while True:
        variables = {"first": q.WEBHOOK_SUBSCRIPTIONS_PAGE, "after": after, "callbackUrl": callback_url}
        page = client.query(q.WEBHOOK_SUBSCRIPTIONS, variables).get("webhookSubscriptions") or {}
        for node in page.get("nodes") or []:
            if ((node or {}).get("endpoint") or {}).get("callbackUrl") == callback_url:
                found.setdefault(node["topic"], node)
        info = page.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            return found
        after = info.get("endCursor")


def register(client: GraphQLClient, *, callback_url: str) -> Registration:
    """Subscribe every REGISTERED topic to ``callback_url`` in JSON, once: subscriptions already pointing
    here are kept (or switched to JSON). Raises PlatformError with Shopify's own words when it refuses one."""
    have = existing(client, callback_url)
    done = Registration()
    wanted = {"callbackUrl": callback_url, "format": "JSON"}
    for topic in REGISTERED:
        current = have.get(topic)
        if current is not None and current.get("format") == "JSON":
            done.kept += 1
        elif current is not None:
            _mutate(client, q.WEBHOOK_SUBSCRIPTION_UPDATE, "webhookSubscriptionUpdate", topic,
                    {"id": current["id"], "webhookSubscription": wanted})  # fmt: skip
            done.updated += 1
        else:
            _mutate(client, q.WEBHOOK_SUBSCRIPTION_CREATE, "webhookSubscriptionCreate", topic,
                    {"topic": topic, "webhookSubscription": wanted})  # fmt: skip
            done.created += 1
    return done


def _mutate(client: GraphQLClient, mutation: str, field: str, topic: str, variables: dict) -> None:
    answer = client.query(mutation, variables).get(field) or {}
    errors = answer.get("userErrors") or []
    if errors:
        messages = "; ".join(str(e.get("message", e)) for e in errors[:3])
        raise PlatformError(f"Shopify refused the {topic} subscription: {messages}")
    if not (answer.get("webhookSubscription") or {}).get("id"):
        raise PlatformError(f"Shopify answered the {topic} subscription without creating it.")
