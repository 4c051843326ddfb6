import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tenants.models import Invitation, Membership, Role, User
from tests.conftest import PASSWORD, logged_in, make_user


def _invite(client, email="dana@example.com", role=Role.AGENT):
    return client.post(reverse("team_invite", args=["alice"]), {"email": email, "role": role})


def _link():
    """The path of the invitation link in the last email."""
    return re.search(r"/invite/\S+/", mail.outbox[-1].body).group(0)


def test_an_owner_invites_by_email_and_the_invitee_signs_up_and_joins(alice_client, alice_store, on_commit):
    with on_commit(execute=True):
        response = _invite(alice_client)
    assert response.status_code == 302
    assert mail.outbox[0].to == ["dana@example.com"] and "Alice's Apparel" in mail.outbox[0].subject
    path = _link()
    newcomer = Client()
    page = newcomer.get(path)
    assert page.status_code == 200 and "dana@example.com" in page.content.decode()
    response = newcomer.post(path, {"name": "Dana", "password": "dana's long passphrase"})
    assert response.status_code == 302 and response.url == "/s/alice/"
    dana = User.objects.get(email="dana@example.com")
    assert Membership.objects.get(store=alice_store, user=dana).role == Role.AGENT
    assert newcomer.get(path).status_code == 404  # a used link is dead


def test_an_existing_user_accepts_with_their_account(alice_client, alice_store, bob, on_commit):
    with on_commit(execute=True):
        _invite(alice_client, email="BOB@bob.example", role=Role.ADMIN)
    path = _link()
    assert "Log in as bob@bob.example" in Client().get(path).content.decode()
    response = logged_in(bob).post(path)
    assert response.status_code == 302
    assert Membership.objects.get(store=alice_store, user=bob).role == Role.ADMIN


def test_an_invitation_cannot_be_accepted_by_someone_else(alice_client, alice_store, bob, on_commit):
    with on_commit(execute=True):
        _invite(alice_client, email="dana@example.com")
    path = _link()
    response = logged_in(bob).post(path)
    assert "This invitation is for dana@example.com" in response.content.decode()
    assert not Membership.objects.filter(store=alice_store, user=bob).exists()


def test_withdrawing_an_invitation_kills_its_link(alice_client, alice_store, on_commit):
    with on_commit(execute=True):
        _invite(alice_client)
    path = _link()
    invitation = Invitation.objects.get()
    alice_client.post(reverse("team_invitation_revoke", args=["alice", invitation.pk]))
    assert Client().get(path).status_code == 404


def test_inviting_a_current_member_is_refused(alice_client, alice_agent):
    response = _invite(alice_client, email=alice_agent.email)
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert "already on this store" in alice_client.get(reverse("team", args=["alice"])).content.decode()


def test_an_admin_cannot_invite_an_owner(alice_admin, alice_store):
    response = _invite(logged_in(alice_admin), role=Role.OWNER)
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_removing_a_teammate_ends_their_sessions_and_access(alice_client, alice_agent, alice_store):
    agent = Client()
    agent.post(reverse("login"), {"username": alice_agent.email, "password": PASSWORD})
    assert agent.get(reverse("store_home", args=["alice"])).status_code == 200
    membership = Membership.objects.get(user=alice_agent)
    response = alice_client.post(reverse("team_member_remove", args=["alice", membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert agent.get(reverse("account")).status_code == 302  # signed out
    again = logged_in(alice_agent)
    assert again.get(reverse("store_home", args=["alice"])).status_code == 404


def test_changing_a_role_takes_effect_on_the_next_request(alice_client, alice_agent, alice_store):
    agent = logged_in(alice_agent)
    assert agent.get(reverse("store_settings", args=["alice"])).status_code == 403
    membership = Membership.objects.get(user=alice_agent)
    alice_client.post(reverse("team_member_role", args=["alice", membership.pk]), {"role": Role.ADMIN})
    assert agent.get(reverse("store_settings", args=["alice"])).status_code == 200


def test_the_last_owner_cannot_be_demoted_or_leave(alice_client, alice, alice_store):
    own = Membership.objects.get(user=alice)
    alice_client.post(reverse("team_member_role", args=["alice", own.pk]), {"role": Role.AGENT})
    alice_client.post(reverse("store_leave", args=["alice"]))
    assert Membership.objects.get(pk=own.pk).role == Role.OWNER


def test_admins_cannot_touch_owners(alice_admin, alice, alice_store):
    admin = logged_in(alice_admin)
    owner = Membership.objects.get(user=alice)
    admin.post(reverse("team_member_role", args=["alice", owner.pk]), {"role": Role.AGENT})
    admin.post(reverse("team_member_remove", args=["alice", owner.pk]))
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


def test_an_owner_can_hand_over_ownership_then_step_down(alice_client, alice, alice_admin, alice_store):
    admin_membership = Membership.objects.get(user=alice_admin)
    alice_client.post(reverse("team_member_role", args=["alice", admin_membership.pk]), {"role": Role.OWNER})
    logged_in(alice_admin).post(
        reverse("team_member_role", args=["alice", Membership.objects.get(user=alice).pk]), {"role": Role.ADMIN}
    )
    roles = dict(Membership.objects.filter(store=alice_store).values_list("user__email", "role"))
    assert roles == {alice.email: Role.ADMIN, alice_admin.email: Role.OWNER}


def test_agents_see_the_team_but_not_the_management_forms(agent_client, alice_store):
    page = agent_client.get(reverse("team", args=["alice"])).content.decode()
    assert "Alice" in page and "Invite a teammate" not in page


@pytest.mark.parametrize("email", ["not-an-email", ""])
def test_a_bad_invitation_email_is_a_clear_error(alice_client, alice_store, email):
    _invite(alice_client, email=email)
    assert not Invitation.objects.exists()
    assert "email" in alice_client.get(reverse("team", args=["alice"])).content.decode().lower()


def test_an_agent_can_leave_a_store(agent_client, alice_agent, alice_store):
    assert agent_client.post(reverse("store_leave", args=["alice"])).status_code == 302
    assert not Membership.objects.filter(user=alice_agent).exists()


def test_a_member_of_two_stores_keeps_the_other_after_removal(alice_client, alice_store, bob_store):
    carol = make_user("carol@example.com")
    Membership.objects.create(store=alice_store, user=carol, role=Role.AGENT)
    Membership.objects.create(store=bob_store, user=carol, role=Role.AGENT)
    membership = Membership.objects.get(store=alice_store, user=carol)
    alice_client.post(reverse("team_member_remove", args=["alice", membership.pk]))
    assert logged_in(carol).get(reverse("store_home", args=["bob"])).status_code == 200
