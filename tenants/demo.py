"""The demo seeders registry: each app registers how it fills the demo store (``seed_demo`` runs them).

Keeps the dependency direction: tenants never imports the apps that build on it; they register here from
their ``AppConfig.ready``. Seeders run in ``order`` (the shop mirror before the flows that show it) and
return a line for the command's output, or an empty string.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tenants.models import Store


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    seed: Callable[[Store], str]
    order: int = 100


_seeders: dict[str, DemoSeeder] = {}


def register(seeder: DemoSeeder) -> None:
    _seeders[seeder.name] = seeder


def seed_all(store: Store) -> list[str]:
    """Run every registered seeder on the demo store, in order; returns their report lines."""
    return [line for s in sorted(_seeders.values(), key=lambda s: s.order) if (line := s.seed(store))]
