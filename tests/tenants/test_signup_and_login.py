import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from tenants.models import Membership, Role, Store, User
from tests.conftest import PASSWORD, logged_in

GOOD = {
    "name": "Carol",
    "email": "Carol@Example.com",
    "password": "a sturdy passphrase 42",
    "store_name": "Carol's Candles",
    "store_slug": "",
}


def test_signup_creates_the_user_their_store_and_owner_membership(client, db):
    response = client.post(reverse("signup"), GOOD)
    store = Store.objects.get(name="Carol's Candles")
    assert response.status_code == 302 and response.url == f"/s/{store.slug}/"
    assert store.slug == "carols-candles"
    user = User.objects.get(email="carol@example.com")
    assert Membership.objects.get(store=store, user=user).role == Role.OWNER
    assert client.get(response.url).status_code == 200  # logged in straight away


def test_signup_refuses_a_taken_email_whatever_its_case(client, alice):
    response = client.post(reverse("signup"), {**GOOD, "email": "ALICE@alice.example"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not Store.objects.filter(name="Carol's Candles").exists()


def test_signup_refuses_a_taken_store_address_and_keeps_nothing(client, alice_store):
    response = client.post(reverse("signup"), {**GOOD, "store_slug": "alice"})
    assert "That store address is taken" in response.content.decode()
    assert not User.objects.filter(email="carol@example.com").exists()


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901234"])
def test_signup_refuses_weak_passwords(client, db, password):
    response = client.post(reverse("signup"), {**GOOD, "password": password})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.exists()


def test_signup_derives_a_free_address_when_the_name_is_taken(client, alice_store):
    client.post(reverse("signup"), {**GOOD, "store_name": "Alice"})
    assert Store.objects.filter(slug="alice-2").exists()


def test_login_accepts_the_email_in_any_case(client, alice_store):
    response = client.post(reverse("login"), {"username": "ALICE@alice.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == "/s/alice/"


def test_repeated_failed_logins_are_throttled_even_with_the_right_password(client, alice_store):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "alice@alice.example", "password": "wrong guess"})
        assert "correct email" in response.content.decode().lower() or response.status_code == 200
    response = client.post(reverse("login"), {"username": "alice@alice.example", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_the_failures(client, alice_store):
    for _ in range(4):
        client.post(reverse("login"), {"username": "alice@alice.example", "password": "wrong guess"})
    assert client.post(reverse("login"), {"username": "alice@alice.example", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        client.post(reverse("login"), {"username": "alice@alice.example", "password": "wrong guess"})
    assert client.post(reverse("login"), {"username": "alice@alice.example", "password": PASSWORD}).status_code == 302


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(alice, alice_store):
    laptop, phone = Client(), Client()
    for c in (laptop, phone):
        assert c.post(reverse("login"), {"username": alice.email, "password": PASSWORD}).status_code == 302
    new = "a brand new passphrase"
    response = laptop.post(
        reverse("account"), {"form": "password", "old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert laptop.get(reverse("account")).status_code == 200
    assert phone.get(reverse("account")).status_code == 302  # back to log-in
    assert Session.objects.count() == 1


def test_password_reset_by_email_sets_the_password_and_signs_out_everywhere(alice, alice_store):
    other = logged_in(alice)
    client = Client()
    client.post(reverse("password_reset"), {"email": "alice@alice.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/password/reset/\S+/", mail.outbox[0].body).group(0)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    new = "reset passphrase 99"
    response = client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert other.get(reverse("account")).status_code == 302
    assert client.post(reverse("login"), {"username": alice.email, "password": new}).status_code == 302


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_requests_are_throttled(client, alice):
    for _ in range(3):
        client.post(reverse("password_reset"), {"email": alice.email})
    response = client.post(reverse("password_reset"), {"email": alice.email})
    assert response.status_code == 200 and "Too many reset requests" in response.content.decode()
    assert len(mail.outbox) == 3


def test_the_store_switcher_lists_every_store_of_the_user(alice, alice_store, bob_store):
    Membership.objects.create(store=bob_store, user=alice, role=Role.AGENT)
    page = logged_in(alice).get(reverse("store_home", args=["alice"])).content.decode()
    assert "/s/alice/" in page and "/s/bob/" in page and "Bob&#x27;s Bikes" in page


def test_a_user_can_create_another_store(alice_client, alice_store):
    response = alice_client.post(reverse("store_create"), {"name": "Alice Outlet", "slug": "alice-outlet"})
    assert response.status_code == 302
    assert Store.objects.get(slug="alice-outlet").memberships.get().role == Role.OWNER
