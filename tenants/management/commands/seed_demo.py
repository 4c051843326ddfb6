"""Create (or refresh) the demo store with an owner and an agent. Safe to run again."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tenants import demo
from tenants.models import Membership, Role, Store, User

DEMO_SLUG = "demo"
OWNER_EMAIL = "owner@demo.shopbot.local"
AGENT_EMAIL = "agent@demo.shopbot.local"


class Command(BaseCommand):
    help = "Create or refresh the demo store, its owner and its agent."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo-shopbot-2026"))
        parser.add_argument(
            "--allow-production", action="store_true", help="Seed even though DEMO is off (logins are well known)."
        )

    def handle(self, *args, password, allow_production, **options):
        # Refuse before touching the database: outside the demo there may be none to reach.
        if not settings.DEMO and not allow_production:
            raise CommandError("seed_demo creates logins with a known password; run it with DEMO=1.")
        self.seed(password)

    @transaction.atomic
    def seed(self, password):
        store, created = Store.objects.get_or_create(
            slug=DEMO_SLUG,
            defaults={
                "name": "Northwind Outfitters", "is_demo": True, "currency": "USD", "timezone": "America/New_York",
                "bot_name": "Nora", "brand_color": "#0F766E",
                "allowed_origins": ["http://localhost:8000", "http://127.0.0.1:8000"],
            },
        )  # fmt: skip
        for email, name, role in [(OWNER_EMAIL, "Olivia Owner", Role.OWNER), (AGENT_EMAIL, "Aaron Agent", Role.AGENT)]:
            user = User.objects.filter(email__iexact=email).first() or User(email=email, name=name)
            user.set_password(password)
            user.save()
            Membership.objects.update_or_create(store=store, user=user, defaults={"role": role})
        reports = demo.seed_all(store)  # the shop mirror, then the flows (each app registers its seeder)
        verb = "Created" if created else "Refreshed"
        self.stdout.write(f"{verb} the demo store “{store.name}” (/s/{store.slug}/).")
        self.stdout.write(f"  owner: {OWNER_EMAIL} / {password}")
        self.stdout.write(f"  agent: {AGENT_EMAIL} / {password}")
        for line in reports:
            self.stdout.write(f"  {line}")
