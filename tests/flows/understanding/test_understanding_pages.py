"""The dashboard page where owners manage intents, FAQ answers and the off-topic threshold."""

from flows.models import FaqEntry, Intent
from flows.understanding import classify


def test_an_owner_adds_an_intent_one_phrase_per_line_and_the_bot_learns_it(alice_client, alice_store, on_commit):
    with on_commit(execute=True):
        response = alice_client.post(f"/s/{alice_store.slug}/understanding/intents/",
                                     {"name": "gift_wrap", "examples": "can you gift wrap it\n\ngift wrapping\n"})  # fmt: skip
    assert response.status_code == 302
    assert Intent.objects.get(store=alice_store).examples == ["can you gift wrap it", "gift wrapping"]
    assert classify(alice_store, "gift wraping?").intent == "gift_wrap"
    page = alice_client.get(f"/s/{alice_store.slug}/understanding/")
    assert page.status_code == 200 and b"gift_wrap" in page.content


def test_an_faq_answer_is_shown_as_text_never_html(alice_client, alice_store):
    alice_client.post(f"/s/{alice_store.slug}/understanding/faqs/",
                      {"questions": "is it safe", "answer": "<script>alert(1)</script> Yes"})  # fmt: skip
    page = alice_client.get(f"/s/{alice_store.slug}/understanding/")
    assert b"<script>alert(1)" not in page.content and b"&lt;script&gt;" in page.content


def test_an_intent_without_examples_is_refused_with_a_clear_error(alice_client, alice_store):
    response = alice_client.post(f"/s/{alice_store.slug}/understanding/intents/", {"name": "empty", "examples": " \n "})
    assert response.status_code == 400
    assert not Intent.objects.filter(store=alice_store).exists()


def test_agents_cannot_open_the_page(agent_client, alice_store):
    assert agent_client.get(f"/s/{alice_store.slug}/understanding/").status_code in (403, 404)


def test_the_threshold_is_saved_and_nonsense_is_refused(alice_client, alice_store):
    alice_client.post(f"/s/{alice_store.slug}/understanding/threshold/", {"intent_threshold": "0.45"})
    alice_store.refresh_from_db()
    assert alice_store.intent_threshold == 0.45
    alice_client.post(f"/s/{alice_store.slug}/understanding/threshold/", {"intent_threshold": "7"})
    alice_store.refresh_from_db()
    assert alice_store.intent_threshold == 0.45


def test_deleting_removes_only_the_stores_own_entry(alice_client, alice_store, bob_store):
    bobs = FaqEntry.objects.create(store=bob_store, questions=["q"], answer="a")
    response = alice_client.post(f"/s/{alice_store.slug}/understanding/faqs/{bobs.pk}/delete/")
    assert response.status_code == 404
    assert FaqEntry.objects.filter(pk=bobs.pk).exists()
