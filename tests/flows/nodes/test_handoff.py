from flows.nodes import handoff
from flows.nodes.base import AnalyticsEvent, Handoff
from tests.flows.nodes.helpers import invalid, message, postback, run, shopper_data, texts

KNOWN = shopper_data(contact={"name": "Ann", "email": "ann@example.com", "attributes": {}})


def test_with_an_agent_online_it_says_so_and_hands_over_at_once():
    result = run(handoff, {}, agents_online=True)
    assert texts(result) == ["Let me bring in someone from our team. They'll be with you shortly."]
    assert result.effect == Handoff(reason="asked")
    assert result.events == [AnalyticsEvent("handoff", {"agents_online": True})]
    assert result.next is None
    assert not result.wait_for_input


def test_with_nobody_online_it_asks_for_an_email_and_waits():
    result = run(handoff, {"offline_message": "We're away, {{ contact.name }}. Your email?"})
    assert texts(result) == ["We're away, Ann. Your email?"]
    assert result.wait_for_input
    assert result.effect is None
    assert result.node_state == {"tries": 0}


def test_a_valid_email_is_saved_confirmed_and_the_chat_handed_over():
    result = run(handoff, {}, incoming=message(" Ann@Example.com "))
    assert result.set_contact == {"email": "ann@example.com"}
    assert texts(result) == ["Thanks! We'll reply to ann@example.com as soon as we're back."]
    assert result.effect == Handoff(reason="offline")
    assert result.events == [AnalyticsEvent("handoff", {"agents_online": False})]
    assert result.next is None


def test_an_invalid_email_is_asked_again_with_a_hint():
    result = run(handoff, {"email_retry_text": "Hmm, {{ contact.name }}?"}, incoming=message("tomorrow"))
    assert texts(result) == ["Hmm, Ann?"]
    assert result.wait_for_input
    assert result.node_state == {"tries": 1}
    assert result.effect is None


def test_after_three_invalid_answers_it_hands_over_without_an_email():
    assert run(handoff, {}, incoming=message("no"), node_state={"tries": 1}).wait_for_input
    result = run(handoff, {}, incoming=message("no"), node_state={"tries": 2})
    assert texts(result) == ["No problem. Our team will reply here as soon as they're back."]
    assert result.effect == Handoff(reason="offline")
    assert result.set_contact == {}


def test_a_button_press_is_not_an_email():
    result = run(handoff, {}, incoming=postback("menu/track"))
    assert result.wait_for_input
    assert result.node_state == {"tries": 1}


def test_when_the_email_is_known_it_confirms_and_hands_over_without_asking():
    result = run(handoff, {}, data=KNOWN)
    assert texts(result) == ["Thanks! We'll reply to ann@example.com as soon as we're back."]
    assert result.effect == Handoff(reason="offline")
    assert not result.wait_for_input


def test_without_asking_for_an_email_it_says_the_offline_message_and_hands_over():
    result = run(handoff, {"ask_email": False, "offline_message": "We're away; we'll reply here."})
    assert texts(result) == ["We're away; we'll reply here."]
    assert result.effect == Handoff(reason="offline")


def test_if_an_agent_comes_online_while_it_waits_for_the_email_it_hands_over_live():
    result = run(handoff, {}, incoming=message("ann@example.com"), agents_online=True)
    assert result.effect == Handoff(reason="asked")
    assert result.set_contact == {"email": "ann@example.com"}


def test_it_waits_for_the_shopper_only_when_it_may_ask_for_an_email():
    assert handoff.waits_for_shopper(handoff.Config())
    assert not handoff.waits_for_shopper(handoff.Config(ask_email=False))
    assert handoff.ports(handoff.Config()) == []


def test_it_works_with_no_settings_at_all_and_refuses_unknown_ones():
    assert handoff.Config().ask_email is True
    assert invalid(handoff, {"mesage": "typo"}).startswith("mesage:")
    assert invalid(handoff, {"message": "x" * 4001}).startswith("message:")
