"""The fake shop's webhook subscriptions: ``webhookSubscriptions``, ``webhookSubscriptionCreate`` and
``webhookSubscriptionUpdate``, with the user errors Shopify gives for a non-https address and a duplicate."""

from tests.fakes.shopify.schema import gid


class Subscriptions:
    def __init__(self, shop):
        self.shop = shop
        self.rows: list[dict] = []
        self.refuse: str | None = None  # a user error every create/update answers with (an app without scopes)

    def add(self, topic: str, callback_url: str, fmt: str = "JSON") -> dict:
        n = self.shop.next_number()
        stamp = self.shop.tick()
        row = {"_n": n, "id": gid("WebhookSubscription", n), "legacyResourceId": str(n), "topic": topic,
               "format": fmt, "callbackUrl": callback_url, "createdAt": stamp, "updatedAt": stamp,
               "apiVersion": {"handle": "2025-01", "displayName": "2025-01", "supported": True},
               "includeFields": [], "metafieldNamespaces": [], "filter": None}  # fmt: skip
        self.rows.append(row)
        return row

    def listing(self, args: dict):
        rows = [r for r in self.rows if _matches(r, args)]
        return self.shop.connection("WebhookSubscription", args, [_view(r) for r in rows])

    def create(self, topic: str, webhookSubscription: dict) -> dict:
        url, fmt = webhookSubscription.get("callbackUrl") or "", webhookSubscription.get("format") or "JSON"
        errors = self._errors(url)
        if not errors and any(r["topic"] == topic and r["callbackUrl"] == url for r in self.rows):
            errors = [_error("callbackUrl", "Address for this topic has already been taken")]
        if errors:
            return {"webhookSubscription": None, "userErrors": errors}
        return {"webhookSubscription": _view(self.add(topic, url, fmt)), "userErrors": []}

    def update(self, id: str, webhookSubscription: dict) -> dict:
        row = next((r for r in self.rows if r["id"] == id), None)
        if row is None:
            return {"webhookSubscription": None, "userErrors": [_error("id", "Webhook subscription does not exist")]}
        url = webhookSubscription.get("callbackUrl") or row["callbackUrl"]
        errors = self._errors(url)
        if errors:
            return {"webhookSubscription": None, "userErrors": errors}
        row.update(callbackUrl=url, format=webhookSubscription.get("format") or row["format"],
                   updatedAt=self.shop.tick())  # fmt: skip
        return {"webhookSubscription": _view(row), "userErrors": []}

    def _errors(self, url: str) -> list[dict]:
        if self.refuse:
            return [_error("topic", self.refuse)]
        if not url.startswith("https://"):
            return [_error("callbackUrl", f"Address protocol {url.split(':', 1)[0]}:// is not supported")]
        return []

    def resolvers(self) -> dict:
        return {
            "webhookSubscriptions": lambda info, **a: self.listing(a),
            "webhookSubscriptionCreate": lambda info, **a: self.create(**a),
            "webhookSubscriptionUpdate": lambda info, **a: self.update(**a),
        }


def _matches(row: dict, args: dict) -> bool:
    return (
        (not args.get("callbackUrl") or row["callbackUrl"] == args["callbackUrl"])
        and (not args.get("topics") or row["topic"] in args["topics"])
        and (not args.get("format") or row["format"] == args["format"])
    )


def _view(row: dict) -> dict:
    return {**row, "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": row["callbackUrl"]}}


def _error(field: str, message: str) -> dict:
    return {"field": ["webhookSubscription", field] if field != "topic" else [field], "message": message}
