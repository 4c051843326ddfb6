"""Webhooks out: a store's endpoints get signed deliveries of the events conversations emit, with retries."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from conversations import services as chat
from integrations import outbound
from integrations.models import WebhookDelivery
from integrations.tasks import deliver_webhook

pytestmark = pytest.mark.django_db


class Receiver:
    """A store's own server on 127.0.0.1: records what it gets, answers the statuses it is told to."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list = []  # 200 when empty; an int status, or "hang"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                answer = receiver.answers.pop(0) if receiver.answers else 200
                if answer == "hang":
                    time.sleep(2)
                    answer = 200
                self.send_response(answer)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"


@pytest.fixture
def receiver(settings):
    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.OUTBOUND_WEBHOOK_TIMEOUT_SECONDS = 1
    settings.OUTBOUND_WEBHOOK_RETRY_DELAYS = [0, 0]
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def conversation(alice_store):
    contact = chat.get_or_create_contact(alice_store)
    contact.name, contact.email = "Dana", "dana@example.com"
    contact.save()
    return chat.start_conversation(contact)


def test_a_handoff_is_posted_to_the_endpoint_signed_with_its_secret(alice_store, receiver, conversation, on_commit):
    endpoint = outbound.create_endpoint(alice_store, url=receiver.url, events=["handoff.requested"])

    with on_commit(execute=True):
        chat.hand_off(conversation, reason="asked for a person")

    (got,) = receiver.received
    expected = base64.b64encode(hmac.new(endpoint.secret.encode(), got["body"], hashlib.sha256).digest()).decode()
    assert hmac.compare_digest(got["headers"]["X-Shopbot-Signature"], expected)
    body = json.loads(got["body"])
    assert body["event"] == "handoff.requested" and body["data"]["contact"]["email"] == "dana@example.com"
    assert body["data"]["reason"] == "asked for a person"
    endpoint.refresh_from_db()
    assert endpoint.last_status == "200"
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_rating_goes_only_to_endpoints_that_asked_for_it(alice_store, receiver, conversation, on_commit):
    outbound.create_endpoint(alice_store, url=receiver.url, events=["lead.captured"])

    with on_commit(execute=True):
        chat.rate_conversation(conversation, rating=5)

    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_a_failing_endpoint_is_retried_with_the_same_signed_body_then_delivered(alice_store, receiver, conversation,
                                                                               on_commit):
    outbound.create_endpoint(alice_store, url=receiver.url, events=["rating.given"])
    receiver.answers = [500, 503]

    with on_commit(execute=True):
        chat.rate_conversation(conversation, rating=4)

    assert len(receiver.received) == 3
    assert len({r["body"] for r in receiver.received}) == 1
    assert len({r["headers"]["X-Shopbot-Signature"] for r in receiver.received}) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)


def test_an_endpoint_that_hangs_is_cut_off_and_given_up_after_the_last_retry(alice_store, receiver, conversation,
                                                                            on_commit):
    endpoint = outbound.create_endpoint(alice_store, url=receiver.url, events=["rating.given"])
    receiver.answers = ["hang", "hang", "hang"]

    with on_commit(execute=True):
        chat.rate_conversation(conversation, rating=2)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    endpoint.refresh_from_db()
    assert "1 s" in endpoint.last_status or "time" in endpoint.last_status.lower()


def test_a_rolled_back_change_sends_nothing(alice_store, receiver, conversation, on_commit):
    from django.db import transaction

    outbound.create_endpoint(alice_store, url=receiver.url, events=["handoff.requested"])
    with on_commit(execute=True) as queued:
        try:
            with transaction.atomic():
                chat.hand_off(conversation)
                raise RuntimeError("the request failed after the handoff")
        except RuntimeError:
            pass

    assert queued == [] and receiver.received == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379/", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.0.0.5/hook", "ftp://example.com/x", "http://localhost:8000/"])
def test_an_endpoint_on_an_internal_address_is_refused(alice_store, url):
    with pytest.raises(ValidationError) as refused:
        outbound.create_endpoint(alice_store, url=url, events=["rating.given"])

    assert "url" in refused.value.message_dict


def test_an_endpoint_whose_host_turns_internal_later_is_never_called(alice_store, receiver, conversation, on_commit,
                                                                     settings):
    outbound.create_endpoint(alice_store, url=receiver.url, events=["handoff.requested"])
    settings.SAFE_HTTP_ALLOWED_NETWORKS = []  # 127.0.0.1 is internal again, as it is in production

    with on_commit(execute=True):
        chat.hand_off(conversation)

    assert receiver.received == []
    assert "Refused" in WebhookDelivery.objects.get().last_error


def test_a_lost_retry_is_picked_up_by_the_sweep(alice_store, receiver, conversation):
    from datetime import timedelta

    from django.utils import timezone

    from integrations.tasks import sweep_webhook_deliveries

    outbound.create_endpoint(alice_store, url=receiver.url, events=["handoff.requested"])
    chat.hand_off(conversation)  # no commit hooks run: the queued try is lost
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=10))

    assert sweep_webhook_deliveries() == 1
    assert WebhookDelivery.objects.get().status == "delivered"
    assert deliver_webhook(WebhookDelivery.objects.get().pk) == "settled"  # a second try sends nothing
    assert len(receiver.received) == 1


def test_a_contact_giving_an_email_for_the_first_time_is_a_lead(alice_store, receiver, on_commit):
    from django.db import transaction

    outbound.create_endpoint(alice_store, url=receiver.url, events=["lead.captured"])
    contact = chat.get_or_create_contact(alice_store)

    with on_commit(execute=True), transaction.atomic():
        chat.apply_contact_changes(contact, {"email": "New@Example.com"})
    with on_commit(execute=True), transaction.atomic():
        chat.apply_contact_changes(contact, {"name": "Eve"})  # already a lead: not sent again

    (got,) = receiver.received
    assert json.loads(got["body"])["data"]["contact"]["email"] == "new@example.com"
