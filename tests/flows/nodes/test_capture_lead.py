from flows.nodes import capture_lead
from flows.nodes.base import Incoming, SaveLead
from tests.flows.nodes.helpers import message, shopper_data, texts
from tests.flows.nodes.shop_fakes import run_node


def go(config, result=None, text=None, payload=None, data=None, effect_result=None):
    incoming = Incoming(kind="postback", payload=payload) if payload else (message(text) if text is not None else None)
    return run_node(capture_lead, None, config, incoming=incoming, node_state=result.node_state if result else None,
                    data=data, node_id="lead", effect_result=effect_result)  # fmt: skip


def test_it_asks_consent_first_then_the_email_and_saves_it_with_the_consent():
    consent = go({})
    assert [b.title for b in consent.replies[0].buttons] == ["Yes, please", "No, thanks"]
    email = go({}, consent, payload="lead/yes")
    assert texts(email) == ["What's your email address?"]
    bad = go({}, email, "ann at example")
    assert "doesn't look like an email" in texts(bad)[0]
    save = go({}, bad, " Ann@Example.com ")
    assert save.effect == SaveLead(email="ann@example.com", phone="", consent=True, source="chat")
    done = go({}, save, effect_result={"ok": True, "error": ""})
    assert done.next == "captured" and texts(done) == ["Thanks, you're on the list!"]
    assert done.set_contact == {"email": "ann@example.com"}
    assert done.events[0].name == "lead_captured" and done.events[0].data == {"fields": ["email"], "source": "chat"}


def test_both_email_and_phone_and_what_is_known_is_not_asked_again():
    known = shopper_data(contact={"name": "Ann", "email": "ann@example.com", "attributes": {}})
    consent = go({"ask_for": "both"}, data=known)
    phone = go({"ask_for": "both"}, consent, "yes", data=known)
    assert texts(phone) == ["And your phone number, with the country code?"]
    save = go({"ask_for": "both"}, phone, "+1 (555) 123-4567", data=known)
    assert save.effect == SaveLead(email="", phone="+15551234567", consent=True, source="chat")


def test_no_consent_means_nothing_is_asked_or_stored():
    declined = go({}, go({}), payload="lead/no")
    assert declined.next == "declined" and declined.effect is None and texts(declined) == ["No problem."]


def test_other_text_at_the_consent_question_is_left_to_the_fallback():
    assert go({}, go({}), "what is this?").unhandled


def test_no_valid_answer_after_the_tries_or_a_refusal_leaves_by_failed():
    result = go({"max_tries": 2}, go({}), payload="lead/yes")
    result = go({"max_tries": 2}, result, "nope")
    assert go({"max_tries": 2}, result, "still nope").next == "failed"
    save = go({}, go({}, go({}), payload="lead/yes"), "ann@example.com")
    assert go({}, save, effect_result={"ok": False, "error": "x"}).next == "failed"
