"""rebuild_catalog_words [slug ...]: recount the catalog words typo correction uses (all stores when none named)."""

from django.core.management.base import BaseCommand, CommandError

from integrations.catalog_words import rebuild_catalog_words
from tenants.models import Store


class Command(BaseCommand):
    help = (
        "Recount each store's catalog words from its products. Triggers keep them exact on every write; this is "
        "for repair, or after changing what counts as a word. PostgreSQL only (SQLite keeps no word table)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Store slugs; every store when none is given")

    def handle(self, *args, slugs, **options):
        stores = Store.objects.filter(slug__in=slugs) if slugs else Store.objects.all()
        missing = set(slugs) - set(stores.values_list("slug", flat=True))
        if missing:
            raise CommandError(f"No store with the slug {', '.join(sorted(missing))}.")
        for store in stores.order_by("pk").iterator():
            words = rebuild_catalog_words(store)
            self.stdout.write(f"{store.slug}: {words} words")
