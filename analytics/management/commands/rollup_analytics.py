"""Re-roll a store's analytics days, e.g. after changing its time zone (rollups are cut in the old one)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from analytics.models import RolledDay
from analytics.periods import MAX_DAYS, PeriodError, parse_period
from analytics.rollups import ensure_rolled
from tenants.models import Store


class Command(BaseCommand):
    help = "Recompute a store's daily analytics rollups for a period (default: the last 366 days)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--from", dest="first", help="first day, YYYY-MM-DD (store time zone)")
        parser.add_argument("--to", dest="last", help="last day, YYYY-MM-DD (default today)")

    def handle(self, *args, slug, first, last, **options):
        store = Store.objects.filter(slug=slug).first()
        if store is None:
            raise CommandError(f"No store with the address {slug!r}.")
        try:
            if first is None:
                first = (parse_period(store, None, last).last - timedelta(days=MAX_DAYS - 1)).isoformat()
            period = parse_period(store, first, last)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        RolledDay.objects.filter(store=store, day__gte=period.first, day__lte=period.last).delete()
        rolled = ensure_rolled(store, period)
        self.stdout.write(f"Rolled {rolled} days of {store.name} ({period.first} to {period.last}, {period.zone.key}).")
