"""Runs a sync: walks each resource page by page through the connection's adapter into the mirror.

Invariants that make a sync safe to run twice and safe to kill:

- One sync per store at a time: a lease on the connection row, taken with a conditional UPDATE and renewed
  with every page; a killed worker's lease runs out and the next run takes over.
- Each page is written in one transaction together with the cursor that follows it, so after a kill the
  next run resumes at the first page not written; nothing is duplicated (upserts on platform id) or lost.
- An incremental run asks for rows updated at or after the newest ``platform_updated_at`` the last
  complete run saw; a full run reads everything and then drops rows the platform no longer has.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from integrations import mirror, services
from integrations.adapters import RESOURCES, Adapter, PlatformError, open_adapter
from integrations.models import Connection, SyncStatus
from integrations.queries import mirror_counts

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
Progress = Callable[[str, int, int | None], None]


@dataclass
class SyncResult:
    ran: bool
    error: str = ""
    pages: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def run_sync(connection_id: int, *, full: bool = False, on_progress: Progress | None = None) -> SyncResult:
    """Sync one store's mirror. Platform errors end in the sync status (and the result), not in a raise."""
    connection = Connection.objects.select_related("store").filter(pk=connection_id).first()
    if connection is None or not connection.is_connected:
        return SyncResult(ran=False, error="The store is not connected to a shop.")
    if not _take_lease(connection, full):
        return SyncResult(ran=False, error="A sync of this store is already running.")
    result = SyncResult(ran=True)
    try:
        connection = services.refresh_credentials_if_due(connection)
        with open_adapter(connection, heartbeat=lambda: renew_lease(connection)) as adapter:
            for resource in RESOURCES:
                _sync_resource(connection, adapter, resource, full, result, on_progress)
    except PlatformError as exc:
        log.warning("sync of store %s failed: %s", connection.store_id, exc)
        result.error = str(exc)
        _finish(connection, error=result.error)
        return result
    except BaseException:
        # Unexpected (a bug, or the worker being stopped): record it, free the lease, let it propagate.
        _finish(connection, error="The sync stopped unexpectedly; it resumes where it stopped on the next run.")
        raise
    _finish(connection, error="")
    _refresh_recommendations_after_commit(connection.store_id)
    return result


def _refresh_recommendations_after_commit(store_id: int) -> None:
    from integrations.tasks import refresh_recommendations  # tasks imports this module

    transaction.on_commit(lambda: refresh_recommendations.delay(store_id))


def _take_lease(connection: Connection, full: bool) -> bool:
    now = timezone.now()
    taken = (
        Connection.objects.filter(pk=connection.pk)
        .filter(Q(sync_lease_until__isnull=True) | Q(sync_lease_until__lt=now))
        .update(
            sync_lease_until=now + LEASE, sync_status=SyncStatus.RUNNING, sync_started_at=now, sync_full=full,
            progress={},
        )
    )  # fmt: skip
    connection.refresh_from_db()
    return bool(taken)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _sync_resource(connection, adapter: Adapter, resource: str, full: bool, result: SyncResult, on_progress) -> None:
    state = dict(connection.cursors.get(resource) or {})
    run = state.get("run")
    if run is None or (full and not run.get("full")):  # nothing to resume (or a full run replaces it)
        since = None if full else state.get("since")
        run = {"full": full, "since": since, "after": None, "started": _iso(timezone.now()), "max": since, "done": 0}
    since = parse_datetime(run["since"]) if run["since"] else None
    total = adapter.count(resource, since=since)
    _report(connection, resource, run["done"], total, on_progress)
    while True:
        page = adapter.fetch(resource, since=since, after=run["after"])
        _write_page(connection, resource, page, run, total)
        result.pages += 1
        result.rows[resource] = result.rows.get(resource, 0) + len(page.records)
        if on_progress:
            on_progress(resource, run["done"], total)
        if not page.has_next:
            return


@transaction.atomic
def _write_page(connection, resource: str, page, run: dict, total: int | None) -> None:
    """The page's rows and the cursor after it, together: a kill leaves both or neither."""
    now = timezone.now()
    mirror.write(resource, connection.store, page.records, now)
    newest = max((r["platform_updated_at"] for r in page.records if r.get("platform_updated_at")), default=None)
    if newest and (run["max"] is None or newest > parse_datetime(run["max"])):
        run["max"] = _iso(newest)
    run["after"], run["done"] = page.cursor, run["done"] + len(page.records)
    if page.has_next:
        connection.cursors[resource] = {**connection.cursors.get(resource, {}), "run": run}
    else:
        if run["full"]:
            mirror.prune(resource, connection.store, older_than=parse_datetime(run["started"]))
        connection.cursors[resource] = {"since": run["max"]}
    kept = (
        Connection.objects.filter(pk=connection.pk, shop=connection.shop)
        .exclude(credentials="")
        .update(
            cursors=connection.cursors,
            progress={"resource": resource, "done": run["done"], "total": total},
            sync_lease_until=now + LEASE,
        )
    )
    if not kept:  # disconnected, or connected to another shop, while this sync ran: write nothing more
        raise PlatformError("The store was disconnected or connected to another shop during the sync.")


def renew_lease(connection: Connection) -> None:
    """Keep holding the sync's lease while waiting on the platform (a bulk export can take a while)."""
    Connection.objects.filter(pk=connection.pk).update(sync_lease_until=timezone.now() + LEASE)


def _report(connection, resource: str, done: int, total: int | None, on_progress) -> None:
    Connection.objects.filter(pk=connection.pk).update(progress={"resource": resource, "done": done, "total": total})
    if on_progress:
        on_progress(resource, done, total)


def _finish(connection: Connection, *, error: str) -> None:
    now = timezone.now()
    fields = {"sync_lease_until": None, "progress": {}, "counts": mirror_counts(connection.store)}
    if error:
        fields.update(sync_status=SyncStatus.FAILED, last_error=error[:2000], last_error_at=now)
    else:
        fields.update(sync_status=SyncStatus.OK, last_synced_at=now, last_error="")
    Connection.objects.filter(pk=connection.pk).update(**fields)
