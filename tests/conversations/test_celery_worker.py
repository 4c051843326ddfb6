"""A whole multi-step chat through the services with a real Celery worker process and the Redis broker."""

import time

import pytest

from botplatform.celery import app
from conversations import services
from conversations.models import Message, Sender
from flows import services as flow_services
from tests.flowkit import assistant_graph
from tests.processes import start_worker, stop


@pytest.fixture
def worker(transactional_db):
    process = start_worker()
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = True
        output = stop(process)
        assert "Traceback" not in output, output


def bot_texts(conversation, count: int, timeout: float = 30.0) -> list[str]:
    """Wait until the worker has stored ``count`` bot messages."""
    deadline = time.monotonic() + timeout
    while True:
        texts = list(
            Message.objects.filter(conversation=conversation, sender=Sender.BOT).order_by("id").values_list("text", flat=True)
        )
        if len(texts) >= count or time.monotonic() > deadline:
            return texts
        time.sleep(0.1)


def test_a_multi_step_chat_is_answered_by_a_real_worker(worker, alice_store):
    flow = flow_services.create_flow(alice_store, name="Assistant", graph=assistant_graph())
    flow_services.publish_flow(flow)
    contact = services.get_or_create_contact(alice_store)
    conversation = services.start_conversation(contact)  # commits; the greeting is queued for the worker

    assert bot_texts(conversation, 2)[-1] == "What can I help you with?"
    services.post_shopper_postback(conversation, payload="menu/sizes", client_id="1")
    assert bot_texts(conversation, 3)[-1] == "How tall are you, in cm?"
    services.post_shopper_message(conversation, text="tall", client_id="2")
    services.post_shopper_message(conversation, text="192", client_id="3")
    texts = bot_texts(conversation, 6)
    assert texts[3].startswith("Please") or "number" in texts[3].lower()  # the re-ask comes before the answer
    assert texts[4:6] == ["We'd suggest size L.", "Anything else? Just write."]
    conversation.refresh_from_db()
    assert conversation.flow_state["vars"] == {"height": 192}
    assert not Message.objects.filter(conversation=conversation, sender=Sender.SHOPPER, bot_handled_at=None).exists()
