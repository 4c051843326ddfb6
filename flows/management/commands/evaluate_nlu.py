"""``evaluate_nlu TRAIN.csv TEST.csv [--per-intent N] [--typos SEED]``: no database, no environment needed."""

import json

from django.core.management.base import BaseCommand, CommandError

from flows.understanding.evaluation import evaluate, read_rows
from tenants.models import Store


class Command(BaseCommand):
    help = "Train the intent classifier on TRAIN (as a store would) and print its figures on TEST as JSON."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("train")
        parser.add_argument("test")
        parser.add_argument("--per-intent", type=int, default=None, help="train on the first N rows per intent")
        parser.add_argument("--typos", type=int, default=None, metavar="SEED", help="one random typo per test row")
        parser.add_argument("--threshold", type=float, default=None, help="default: a new store's threshold")

    def handle(self, *args, **options):
        threshold = options["threshold"]
        if threshold is None:
            threshold = Store._meta.get_field("intent_threshold").default
        try:
            train, test = read_rows(options["train"]), read_rows(options["test"])
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        if options["per_intent"] is not None and options["per_intent"] < 1:
            raise CommandError("--per-intent must be at least 1.")
        figures = evaluate(
            train, test, per_intent=options["per_intent"], typos_seed=options["typos"], threshold=threshold
        )
        self.stdout.write(json.dumps(figures))
