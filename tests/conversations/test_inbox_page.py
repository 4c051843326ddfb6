"""The inbox page: its views, the shopper's side panel, and who may see it."""

from conversations import inbox
from conversations.models import HeldBy
from tests.conftest import logged_in
from tests.conversations.conftest import Shopper


def test_a_handoff_waits_in_needs_a_human_and_moves_to_mine_once_taken(alice_store, alice_agent, on_commit):
    shopper = Shopper(alice_store, on_commit, name="Dana")
    inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    from conversations.services import _update_conversation

    other = Shopper(alice_store, on_commit, name="Eve")
    _update_conversation(other.conversation, held_by=HeldBy.AGENT, handed_off_at=other.conversation.created_at)
    client = logged_in(alice_agent)
    waiting = client.get("/s/alice/inbox/").content.decode()
    assert "Eve" in waiting and "Dana" not in waiting
    mine = client.get("/s/alice/inbox/?view=mine").content.decode()
    assert "Dana" in mine and "Eve" not in mine
    assert "Eve" in client.get("/s/alice/inbox/?q=eve").content.decode()


def test_the_conversation_shows_the_shopper_and_escapes_what_they_typed(alice_store, alice_agent, on_commit):
    shopper = Shopper(alice_store, on_commit, name="<script>alert(1)</script>")
    page = logged_in(alice_agent).get(f"/s/alice/inbox/?c={shopper.conversation.pk}").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Verified customer" in page and "Take over" in page


def test_another_stores_conversation_is_not_found_through_your_own_inbox(alice_store, bob, bob_store, on_commit):
    shopper = Shopper(alice_store, on_commit)
    assert logged_in(bob).get(f"/s/{bob_store.slug}/inbox/?c={shopper.conversation.pk}").status_code == 404
    assert logged_in(bob).get("/s/alice/inbox/").status_code == 404


def test_the_list_shows_each_agents_unread_count_and_the_panel_the_shoppers_mood(alice_store, alice_agent, on_commit):
    shopper = Shopper(alice_store, on_commit, name="Fay")
    inbox.take_over(alice_store, shopper.conversation.pk, alice_agent)
    shopper.say("This is terrible, my parcel is lost")
    shopper.say("I am so angry")
    client = logged_in(alice_agent)
    listing = client.get("/s/alice/inbox/?view=mine").content.decode()
    assert 'data-unread="2"' in listing and "2 unread" in listing
    opened = client.get(f"/s/alice/inbox/?view=mine&c={shopper.conversation.pk}").content.decode()
    assert 'class="mood negative"' in opened and "Email transcript" in opened and "Ask for a rating" in opened
    inbox.mark_read(alice_store, shopper.conversation.pk, alice_agent)
    assert 'data-unread="0"' in client.get("/s/alice/inbox/?view=mine").content.decode()
