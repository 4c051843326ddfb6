"""Per-store understanding on the real database: defaults, retraining after changes, tenancy, the API."""

from flows.models import FaqEntry, Intent, NluModel
from flows.understanding import classifier, classify, services
from flows.understanding.defaults import DEFAULT_INTENTS
from tenants.models import Store


def test_a_new_store_gets_default_intents_and_a_trained_model(alice, on_commit):
    with on_commit(execute=True):
        store = Store.objects.create(name="Carol's", slug="carol")
    assert set(Intent.objects.filter(store=store).values_list("name", flat=True)) == set(DEFAULT_INTENTS)
    assert FaqEntry.objects.filter(store=store).exists()
    assert NluModel.objects.filter(store=store).exists()
    understood = classify(store, "wheres my stuff?? order #1042")
    assert understood.intent == "track_order"
    assert understood.entities["order_number"] == "1042"


def test_a_store_with_no_intents_yet_understands_nothing_without_error(alice_store):
    understood = classify(alice_store, "where is my order")
    assert understood.intent is None and understood.confidence == 0.0
    assert understood.sentiment["label"] == "neutral"


def test_changing_examples_retrains_and_the_next_message_uses_the_new_model(alice_store, on_commit):
    with on_commit(execute=True):
        services.create_intent(alice_store, name="gift_wrap", examples=["can you gift wrap it", "gift wrapping"])
    assert classify(alice_store, "do you do gift wrapping?").intent == "gift_wrap"
    intent = Intent.objects.get(store=alice_store, name="gift_wrap")
    with on_commit(execute=True):
        services.update_intent(intent, examples=["do you sell gift cards", "gift card balance"])
    assert classify(alice_store, "how do i check my gift card balance").intent == "gift_wrap"
    assert classify(alice_store, "tell me a joke").intent is None


def test_retraining_the_same_examples_keeps_the_stored_model(alice_store, on_commit):
    with on_commit(execute=True):
        services.create_intent(alice_store, name="greet", examples=["hello there"])
    assert services.retrain_store(alice_store) is False


def test_a_model_trained_before_embeddings_still_answers_and_is_retrained(alice_store, on_commit):
    with on_commit(execute=True):
        services.create_intent(alice_store, name="track_order", examples=["where is my order", "track my parcel"])
    older = classifier.train(services.training_examples(alice_store))
    older.vectors = older.vector_weights = older.vector_bias = None  # what the n-gram-only release stored
    NluModel.objects.filter(store=alice_store).update(digest="trained-by-version-1", blob=older.dumps())

    assert classify(alice_store, "where is my order??").intent == "track_order"  # answered by the stored model
    stored = NluModel.objects.get(store=alice_store)  # and retrained in Celery (eager here)
    assert stored.digest != "trained-by-version-1"
    assert classifier.Model.loads(bytes(stored.blob)).version == classifier.VERSION
    assert classify(alice_store, "has my parcel shipped yet").intent == "track_order"


def test_an_faq_question_is_matched_to_its_entry_not_an_intent(alice_store, on_commit):
    with on_commit(execute=True):
        entry = services.create_faq_entry(
            alice_store, questions=["are your products vegan", "is it vegan"], answer="Yes, all of them."
        )
    assert classify(alice_store, "is this vegan??").faq_id == entry.pk


def test_one_stores_examples_never_teach_another_store(alice_store, bob_store, on_commit):
    with on_commit(execute=True):
        services.create_intent(alice_store, name="gift_wrap", examples=["can you gift wrap it", "gift wrapping"])
        services.create_intent(bob_store, name="greet", examples=["hello there"])
    assert classify(bob_store, "do you do gift wrapping?").intent != "gift_wrap"
    assert set(Intent.objects.filter(store=bob_store).values_list("name", flat=True)) == {"greet"}


def test_owners_manage_intents_through_the_api(alice_client, alice_store, on_commit):
    url = f"/api/v1/s/{alice_store.slug}/intents/"
    with on_commit(execute=True):
        created = alice_client.post(url, {"name": "gift_wrap", "examples": ["gift wrap please", " "]},
                                    content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["examples"] == ["gift wrap please"]
    assert classify(alice_store, "gift wrap please").intent == "gift_wrap"
    changed = alice_client.patch(f"{url}{created.json()['id']}/", {"name": "wrapping"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["name"] == "wrapping"
    assert [i["name"] for i in alice_client.get(url).json()["results"]] == ["wrapping"]


def test_an_intent_with_no_examples_or_a_taken_name_is_refused_and_nothing_is_written(alice_client, alice_store):
    url = f"/api/v1/s/{alice_store.slug}/intents/"
    refused = alice_client.post(url, {"name": "empty", "examples": ["", "  "]}, content_type="application/json")
    assert refused.status_code == 400 and "at least one example" in refused.json()["detail"]
    Intent.objects.create(store=alice_store, name="greet", examples=["hi"])
    taken = alice_client.post(url, {"name": "greet", "examples": ["hello"]}, content_type="application/json")
    assert taken.status_code == 400 and "already has an intent" in taken.json()["detail"]
    assert list(Intent.objects.filter(store=alice_store).values_list("name", flat=True)) == ["greet"]


def test_agents_read_faq_entries_but_cannot_change_them(agent_client, alice_store):
    FaqEntry.objects.create(store=alice_store, questions=["do you ship"], answer="Yes.")
    url = f"/api/v1/s/{alice_store.slug}/faq-entries/"
    assert agent_client.get(url).json()["results"][0]["answer"] == "Yes."
    refused = agent_client.post(url, {"questions": ["q"], "answer": "a"}, content_type="application/json")
    assert refused.status_code == 403
    assert FaqEntry.objects.filter(store=alice_store).count() == 1
