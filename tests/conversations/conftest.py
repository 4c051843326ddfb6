import pytest

from conversations import services
from conversations.models import Message, Sender
from flows import services as flow_services
from tests.flowkit import assistant_graph


def publish(store, raw_graph, name="Assistant"):
    flow = flow_services.create_flow(store, name=name, graph=raw_graph)
    flow_services.publish_flow(flow)
    flow_services.make_default_flow(flow)  # over the starter flows a store gets once it is committed
    flow.refresh_from_db()
    return flow


@pytest.fixture
def assistant(alice_store):
    return publish(alice_store, assistant_graph())


class Shopper:
    """A shopper chatting in Alice's store, through the services, with on-commit work (eager Celery) run."""

    def __init__(self, store, on_commit, name="Dana"):
        self.on_commit, self.sent = on_commit, 0
        contact = services.get_or_create_contact(store)
        contact.name = name
        contact.save()
        with on_commit(execute=True):
            self.conversation = services.start_conversation(contact)

    def say(self, text: str = "", payload: str = "") -> list[str]:
        """Send a message (or press a button) and return what the bot answered."""
        self.sent += 1
        before = self.last_id()
        with self.on_commit(execute=True):
            if payload:
                services.post_shopper_postback(self.conversation, payload=payload, client_id=f"c{self.sent}")
            else:
                services.post_shopper_message(self.conversation, text=text, client_id=f"c{self.sent}")
        return self.bot_texts(after=before)

    def last_id(self) -> int:
        return Message.objects.filter(conversation=self.conversation).order_by("-id").values_list("id", flat=True).first() or 0

    def bot_texts(self, after: int = 0) -> list[str]:
        rows = Message.objects.filter(conversation=self.conversation, sender=Sender.BOT, id__gt=after).order_by("id")
        return list(rows.values_list("text", flat=True))

    def refresh(self):
        self.conversation.refresh_from_db()
        return self.conversation


@pytest.fixture
def shopper(alice_store, on_commit):
    return Shopper(alice_store, on_commit)


@pytest.fixture
def demo_shop(alice_store):
    """Alice's store filled with the demo catalogue, customers and orders (as ``seed_demo`` fills the demo)."""
    from integrations.demo import seed_demo_mirror

    alice_store.is_demo = True
    alice_store.save(update_fields=["is_demo"])
    seed_demo_mirror(alice_store)
    return alice_store
