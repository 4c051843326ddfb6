"""Walks every URL pattern of the project, so that routes added later are covered too.

A route is either public or an account route (listed, with reasons, in botplatform/routes.py), or it takes
a store. A store route must answer 404 to members of another store (for the store and for object ids of
another store through the caller's own store), 401/redirect to strangers, and 403 to agents wherever it
declares a higher role; none of those requests may change anything.
"""

import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from botplatform.routes import ACCOUNT_ROUTES, PUBLIC_ROUTES
from conversations.models import Campaign, CannedResponse
from flows import services as flow_services
from flows.models import FaqEntry, Flow, Intent, Trigger
from tenants import services
from tenants.models import ApiKey, Invitation, Membership, Role, Store
from tenants.scoping import required_role
from tests.conftest import logged_in, make_user

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@dataclass
class Route:
    name: str | None
    pattern: str
    kwargs: tuple[str, ...]
    callback: object


def _kwarg_names(pattern) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None and not hasattr(pattern, "_regex"):
        return list(converters)
    return list(pattern.regex.groupindex)


def walk(patterns=None, prefix="", namespace="", kwargs=()):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        names = (*kwargs, *_kwarg_names(entry.pattern))
        if isinstance(entry, URLResolver):
            ns = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns, names)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name, prefix + str(entry.pattern), names, entry.callback)


ROUTES = list(walk())


def _member(store):
    user = make_user(f"member-{store.slug}-{Membership.objects.count()}@example.com")
    return Membership.objects.create(store=store, user=user, role=Role.AGENT).pk


def _invitation(store):
    invitation, _ = services.invite_member(
        store, email=f"invitee-{Invitation.objects.count()}@example.com", role=Role.AGENT, invited_by=None
    )
    return invitation.pk


def _api_key(store):
    return services.create_api_key(store, name="script", created_by=None)[0].pk


def _flow(store):
    return flow_services.create_flow(store, name=f"Flow {Flow.objects.count()}").pk


def _flow_version(store):
    flow = flow_services.create_flow(store, name=f"Flow {Flow.objects.count()}")
    return flow_services.publish_flow(flow).pk


def _intent(store):
    return Intent.objects.create(store=store, name=f"intent-{Intent.objects.count()}", examples=["hello"]).pk


def _faq_entry(store):
    return FaqEntry.objects.create(store=store, questions=["do you ship"], answer="Yes.").pk


# How to build an object of each id kwarg in a given store. A route with an id kwarg missing here fails.
def _webhook_endpoint(store):
    from integrations.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(store=store, url="https://hooks.example.com/x", events=["rating.given"],
                                          secret="whsec_test").pk


def _privacy_request(store):
    from integrations.models import PrivacyRequest

    return PrivacyRequest.objects.create(store=store, store_label=store.name, source="dashboard",
                                         kind="data_request", key=f"test:{uuid.uuid4()}").pk


def _canned_response(store):
    return CannedResponse.objects.create(store=store, shortcut=f"c{uuid.uuid4().hex[:8]}", text="Hello").pk


def _campaign(store):
    import datetime

    return Campaign.objects.create(store=store, name="Sale", audience="new", text="Hi", display="teaser",
                                   starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)).pk


OBJECT_FACTORIES = {
    "member_id": _member, "invitation_id": _invitation, "api_key_id": _api_key, "flow_id": _flow,
    "version_id": _flow_version, "endpoint_id": _webhook_endpoint, "privacy_request_id": _privacy_request,
    "intent_id": _intent, "faq_id": _faq_entry, "canned_id": _canned_response, "campaign_id": _campaign,
}  # fmt: skip
PUBLIC_KWARGS = {
    "shop_slug": "no-such-shop", "handle": "no-such-product", "token": "not-a-token", "uidb64": "MQ",
    "public_key": "pk_unknown", "digest": "0" * 16, "connection_id": 999999,
}  # fmt: skip


def fingerprint(store: Store):
    """Everything a refused request could have changed in the store."""
    store = Store.objects.get(pk=store.pk)
    return (
        [getattr(store, f.attname) for f in Store._meta.concrete_fields],
        list(Membership.objects.filter(store=store).order_by("pk").values_list("pk", "user_id", "role")),
        list(Invitation.objects.filter(store=store).order_by("pk").values_list("pk", "email", "role")),
        list(ApiKey.objects.filter(store=store).order_by("pk").values_list("pk", "revoked_at")),
        list(Flow.objects.filter(store=store).order_by("pk").values_list("pk", "name", "draft_graph", "is_default",
                                                                          "published_version_id")),
        list(Intent.objects.filter(store=store).order_by("pk").values_list("pk", "name", "examples")),
        list(FaqEntry.objects.filter(store=store).order_by("pk").values_list("pk", "questions", "answer")),
        list(CannedResponse.objects.filter(store=store).order_by("pk").values_list("pk", "shortcut", "text")),
        list(Trigger.objects.filter(store=store).order_by("pk").values_list("pk", "kind", "config", "enabled")),
        list(Campaign.objects.filter(store=store).order_by("pk").values_list("pk", "name", "enabled", "ends_on")),
    )  # fmt: skip


def test_every_route_is_named_and_classified():
    assert ROUTES, "no routes found"
    problems = []
    listed = set(PUBLIC_ROUTES) | set(ACCOUNT_ROUTES)
    for route in ROUTES:
        if route.name is None:
            problems.append(f"{route.pattern} has no name")
        elif route.name in listed:
            if "store_slug" in route.kwargs:
                problems.append(f"{route.name} is listed as not store-scoped but takes a store")
        elif "store_slug" not in route.kwargs:
            problems.append(f"{route.name} ({route.pattern}) takes no store and is not listed in botplatform/routes.py")
    names = {route.name for route in ROUTES}
    problems += [f"{name} is listed but no such route exists" for name in listed - names]
    assert not problems, "\n".join(problems)


def _public_url(route):
    unknown = [k for k in route.kwargs if k not in PUBLIC_KWARGS]
    if unknown:
        pytest.fail(f"{route.name}: the test cannot build a value for {unknown}")
    return reverse(route.name, kwargs={k: PUBLIC_KWARGS[k] for k in route.kwargs})


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in PUBLIC_ROUTES], ids=lambda r: r.name)
def test_public_routes_answer_strangers_without_error(client, db, route):
    response = client.get(_public_url(route))
    assert response.status_code < 500


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in ACCOUNT_ROUTES], ids=lambda r: r.name)
def test_account_routes_refuse_strangers(client, db, route):
    assert route.kwargs == (), f"{route.name}: account routes take no ids"
    for method in METHODS:
        response = client.generic(method, reverse(route.name))
        if route.name.startswith("api:"):
            assert response.status_code in (401, 403), (method, response.status_code)
        else:
            assert response.status_code in (302, 405), (method, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith(reverse("login"))


STORE_ROUTES = [r for r in ROUTES if r.name and "store_slug" in r.kwargs and r.name not in PUBLIC_ROUTES]


def _store_url(route, store, objects_store=None):
    kwargs = {"store_slug": store.slug}
    for name in route.kwargs:
        if name == "store_slug":
            continue
        if name not in OBJECT_FACTORIES:
            pytest.fail(f"{route.name}: no factory in OBJECT_FACTORIES for the id kwarg {name!r}")
        kwargs[name] = OBJECT_FACTORIES[name](objects_store or store)
    return reverse(route.name, kwargs=kwargs)


@pytest.mark.parametrize("route", STORE_ROUTES, ids=lambda r: r.name)
def test_store_routes_hide_other_stores(route, alice_store, bob, bob_store):
    bob_client = logged_in(bob)
    url = _store_url(route, alice_store)
    # Alice's object ids through Bob's own store, where Bob is an owner.
    own_url = _store_url(route, bob_store, objects_store=alice_store) if len(route.kwargs) > 1 else None
    _key, plain = services.create_api_key(bob_store, name="bob's script", created_by=bob)
    before = fingerprint(alice_store)

    for method in METHODS:
        response = bob_client.generic(method, url)
        assert response.status_code == 404, f"{method} {url} as Bob: {response.status_code}"
        if url.startswith("/api/"):
            response = Client().generic(method, url, HTTP_AUTHORIZATION=f"Bearer {plain}")
            assert response.status_code == 404, f"{method} {url} with Bob's key: {response.status_code}"

    if own_url:
        answers = {method: bob_client.generic(method, own_url).status_code for method in METHODS}
        # 405 means the view does not take that method at all; every method it takes must say 404.
        assert set(answers.values()) <= {404, 405} and 404 in answers.values(), f"{own_url} as Bob: {answers}"
    assert fingerprint(alice_store) == before


@pytest.mark.parametrize("route", STORE_ROUTES, ids=lambda r: r.name)
def test_store_routes_refuse_strangers(client, route, alice_store):
    url = _store_url(route, alice_store)
    for method in METHODS:
        response = client.generic(method, url)
        if url.startswith("/api/"):
            assert response.status_code == 401, (method, response.status_code)
        else:
            assert response.status_code == 302 and response.url.startswith(reverse("login")), method


@pytest.mark.parametrize("route", STORE_ROUTES, ids=lambda r: r.name)
def test_store_routes_refuse_agents_where_they_need_more(route, alice_store, alice_agent):
    agent = logged_in(alice_agent)
    url = _store_url(route, alice_store)
    before = fingerprint(alice_store)
    refused = 0
    for method in METHODS:
        if Role.at_least(Role.AGENT, required_role(route.callback, method)):
            continue
        response = agent.generic(method, url)
        assert response.status_code == 403, f"{method} {url} as an agent: {response.status_code}"
        refused += 1
    assert fingerprint(alice_store) == before
    if refused == 0:
        # Only routes meant for agents may let them through on every method.
        assert route.name in AGENT_ROUTES, f"{route.name} lets agents do everything; list it in AGENT_ROUTES if meant"


# Routes an agent may use with any method: their own membership and the store overview.
AGENT_ROUTES = {"store_home", "store_leave", "inbox"}
