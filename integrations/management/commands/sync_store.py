"""sync_store <slug> [--full]: run one sync of a store's mirror here, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError

from integrations.queries import get_connection
from integrations.sync import run_sync
from tenants.models import Store

BAR = 30


class Command(BaseCommand):
    help = "Sync a store's catalog, customers and orders from its shop now (incremental unless --full)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--full", action="store_true", help="Re-read everything and drop what the shop deleted")

    def handle(self, *args, slug, full, **options):
        store = Store.objects.filter(slug=slug).first()
        connection = get_connection(store) if store else None
        if connection is None or not connection.is_connected:
            raise CommandError(f"Store {slug!r} does not exist or is not connected (see connect_store).")
        self._last = None
        result = run_sync(connection.pk, full=full, on_progress=self._progress)
        self.stdout.write("")
        if result.error:
            raise CommandError(result.error)
        rows = ", ".join(f"{count} {resource}" for resource, count in result.rows.items())
        self.stdout.write(self.style.SUCCESS(f"Synced {store.slug} in {result.pages} pages: {rows}."))

    def _progress(self, resource: str, done: int, total: int | None) -> None:
        if self._last not in (None, resource):
            self.stdout.write("")
        self._last = resource
        if total:
            filled = min(BAR, BAR * done // max(total, 1))
            line = f"{resource:<12} [{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}"
        else:
            line = f"{resource:<12} {done}"
        self.stdout.write("\r" + line, ending="")
        self.stdout.flush()
