"""The shared world: Alice's store (owner, admin, agent) and Bob's store (owner), on real PostgreSQL and Redis."""

import pytest
from django.core.cache import cache
from django.test import Client

from tenants import services
from tenants.models import Membership, Role, User

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email, PASSWORD, name=name or email.split("@")[0].title())


@pytest.fixture
def alice(db):
    return make_user("alice@alice.example", "Alice")


@pytest.fixture
def alice_store(alice):
    return services.create_store(alice, name="Alice's Apparel", slug="alice")


def make_member(store, email: str, name: str, role: str) -> User:
    user = make_user(email, name)
    Membership.objects.create(store=store, user=user, role=role)
    return user


@pytest.fixture
def alice_admin(alice_store):
    return make_member(alice_store, "adam@alice.example", "Adam", Role.ADMIN)


@pytest.fixture
def alice_agent(alice_store):
    return make_member(alice_store, "agnes@alice.example", "Agnes", Role.AGENT)


@pytest.fixture
def bob(db):
    return make_user("bob@bob.example", "Bob")


@pytest.fixture
def bob_store(bob):
    return services.create_store(bob, name="Bob's Bikes", slug="bob")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice, alice_store):
    return logged_in(alice)


@pytest.fixture
def agent_client(alice_agent):
    return logged_in(alice_agent)


@pytest.fixture
def bob_client(bob, bob_store):
    return logged_in(bob)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit work (emails, broadcasts, tasks) inside the test transaction."""
    return django_capture_on_commit_callbacks


# --- The shop mirror: Alice's products, customers and orders (Bob's store has none) ----------------


@pytest.fixture
def alice_shop_mirror(alice_store):
    """Alice's mirrored shop, written as a sync writes it: two products, two customers, three orders."""
    from tests.integrations.mirror_world import fill_mirror

    return fill_mirror(alice_store)
