"""The first full import of a large catalog as one Shopify bulk operation, read back in resumable pages.

The sync engine sees ordinary pages: the cursor is ``bulk:<lines read>:<result URL>``, so a killed import
resumes by downloading the result again and skipping the lines already written. Shopify writes a product's
variants and images on their own lines after it, with ``__parentId``; a page ends at a product boundary.
"""

import json
import logging
import time
from collections.abc import Callable, Iterator

from django.conf import settings

from integrations.adapters import BadData
from integrations.shopify import queries as q
from integrations.shopify.client import GraphQLClient, stream_lines

log = logging.getLogger(__name__)

PREFIX = "bulk:"
PAGE = 250  # products per page (and per transaction)
FINISHED = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}


def is_bulk_cursor(cursor: str | None) -> bool:
    return bool(cursor) and cursor.startswith(PREFIX)


def start_bulk_export(
    client: GraphQLClient, *, heartbeat: Callable[[], None], sleep: Callable[[float], None] = time.sleep
) -> str | None:
    """Run the bulk products query and wait for it; the first cursor, or None to read page by page instead."""
    answer = client.query(q.BULK_RUN, {"query": q.BULK_PRODUCTS})["bulkOperationRunQuery"]
    if answer.get("userErrors") or not answer.get("bulkOperation"):
        log.warning("shopify %s refused a bulk export: %s", client.shop, answer.get("userErrors"))
        return None
    deadline, delay = time.monotonic() + settings.SHOPIFY_BULK_TIMEOUT_SECONDS, 0.2
    while time.monotonic() < deadline:
        operation = client.query(q.BULK_CURRENT)["currentBulkOperation"] or {}
        status = operation.get("status")
        if status == "COMPLETED":
            return f"{PREFIX}0:{operation.get('url') or ''}"
        if status in FINISHED:
            log.warning("shopify %s bulk export ended %s (%s)", client.shop, status, operation.get("errorCode"))
            return None
        heartbeat()
        sleep(delay)
        delay = min(delay * 2, 10.0)
    log.warning("shopify %s bulk export did not finish in time; reading page by page", client.shop)
    return None


class BulkReader:
    """Pages of product nodes (shaped like the paged query's) from a bulk result, in order."""

    def __init__(self):
        self.url = None
        self.lines: Iterator[str] | None = None
        self.position = 0  # lines consumed
        self.peeked: dict | None = None

    def page(self, cursor: str) -> tuple[list[dict], str | None, bool]:
        done, url = cursor.removeprefix(PREFIX).split(":", 1)
        if not url:  # an empty shop: Shopify gives no file
            return [], None, False
        if self.lines is None or (url, int(done)) != (self.url, self._consumed()):
            self._open(url, int(done))
        nodes: dict[str, dict] = {}
        while True:
            line = self._next()
            if line is None:
                return list(nodes.values()), f"{PREFIX}{self.position}:{url}", False
            parent = line.get("__parentId")
            if parent is None:
                if len(nodes) == PAGE:
                    self.peeked = line
                    return list(nodes.values()), f"{PREFIX}{self.position - 1}:{url}", True
                nodes[line.get("id")] = {**line, "media": {"nodes": []}, "variants": {"nodes": [], "pageInfo": {}}}
            elif parent in nodes:
                kind = "variants" if str(line.get("id", "")).startswith("gid://shopify/ProductVariant/") else "media"
                nodes[parent][kind]["nodes"].append(line)
            else:
                raise BadData(f"Shopify's bulk export has a line for {parent} away from that product.")

    def _consumed(self) -> int:
        """Lines turned into records so far (a line peeked at is still to come)."""
        return self.position - (1 if self.peeked is not None else 0)

    def _open(self, url: str, skip: int) -> None:
        self.url, self.position, self.peeked = url, 0, None
        self.lines = stream_lines(url, timeout=settings.SHOPIFY_TIMEOUT_SECONDS)
        for _ in range(skip):
            if self._next() is None:
                break

    def _next(self) -> dict | None:
        if self.peeked is not None:
            line, self.peeked = self.peeked, None
            return line
        raw = next(self.lines, None)
        if raw is None:
            return None
        self.position += 1
        try:
            return json.loads(raw)
        except ValueError:
            raise BadData(f"Shopify's bulk export has a broken line ({self.position}).") from None
