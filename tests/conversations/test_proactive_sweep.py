"""Timers and news fired by the beat sweep: cart abandonment (a due time), order shipped, back in stock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import Event
from conversations import proactive_sweep
from conversations.models import CartTimer, Contact, PendingUpdate, ProactiveStart
from integrations import mirror
from integrations.models import RestockWatch, Variant
from integrations.restock import mark_restocked, watch_restock
from tenants import privacy
from tests.conversations.proactive_kit import flow_saying, later, page_event, proactive_texts

pytestmark = pytest.mark.django_db
CART = {"items": [{"product_id": "101", "variant_id": "1011", "quantity": 1, "price": "40.00"}], "total": "40.00"}


def sweep_at(minutes: float, on_commit):
    with on_commit(execute=True):
        return proactive_sweep.sweep(later(minutes))


def test_an_abandoned_cart_is_fired_by_the_sweep_when_its_due_time_passes(alice_store, assistant, shopper, on_commit):
    flow_saying(alice_store, "Your cart misses you: CART10", {"kind": "cart_abandoned", "idle_minutes": 30})
    page_event(shopper, "cart_updated", {"cart": CART})
    timer = CartTimer.objects.get(conversation=shopper.conversation)
    assert timedelta(minutes=29) < timer.due_at - timezone.now() <= timedelta(minutes=30)
    assert sweep_at(29, on_commit)["carts"] == 0 and proactive_texts(shopper) == []
    assert sweep_at(31, on_commit)["carts"] == 1
    assert proactive_texts(shopper) == [("Your cart misses you: CART10", "teaser")]
    assert not CartTimer.objects.filter(conversation=shopper.conversation).exists()
    assert Event.objects.get(name="trigger_fired").data["kind"] == "cart_abandoned"


def test_activity_pushes_the_due_time_and_an_emptied_cart_cancels_it(alice_store, assistant, shopper, on_commit):
    flow_saying(alice_store, "Your cart misses you", {"kind": "cart_abandoned", "idle_minutes": 30})
    page_event(shopper, "cart_updated", {"cart": CART})
    first = CartTimer.objects.get(conversation=shopper.conversation).due_at
    page_event(shopper, "time_on_page", {"seconds": 600})  # a ping is not activity: the timer stays
    assert CartTimer.objects.get(conversation=shopper.conversation).due_at == first
    page_event(shopper, "page_view", {"url": "https://shop.alice.example/products/hat"})
    assert CartTimer.objects.get(conversation=shopper.conversation).due_at > first
    page_event(shopper, "cart_updated", {"cart": {"items": [], "total": "0.00"}})
    assert not CartTimer.objects.exists()
    assert sweep_at(120, on_commit)["carts"] == 0 and proactive_texts(shopper) == []


def test_a_cart_timer_that_comes_due_mid_chat_waits_for_the_chat(alice_store, assistant, shopper, on_commit):
    flow_saying(alice_store, "Your cart misses you", {"kind": "cart_abandoned", "idle_minutes": 1})
    page_event(shopper, "cart_updated", {"cart": CART})
    shopper.say("is the shirt linen?")
    with on_commit(execute=True):
        proactive_sweep.sweep(timezone.now() + timedelta(minutes=2))
    assert proactive_texts(shopper) == []
    assert CartTimer.objects.get(conversation=shopper.conversation).due_at > timezone.now() + timedelta(minutes=5)
    assert sweep_at(10, on_commit)["carts"] == 0  # they answered the menu: the dialogue holds for half an hour
    assert sweep_at(40, on_commit)["carts"] == 1


def test_two_abandonment_steps_fire_in_turn(alice_store, assistant, shopper, on_commit):
    flow_saying(alice_store, "Reminder", {"kind": "cart_abandoned", "idle_minutes": 30, "priority": 1})
    flow_saying(alice_store, "Last chance: 15% off", {"kind": "cart_abandoned", "idle_minutes": 24 * 60, "priority": 9})
    page_event(shopper, "cart_updated", {"cart": CART})
    sweep_at(31, on_commit)
    assert sweep_at(23 * 60, on_commit)["carts"] == 0
    sweep_at(24 * 60 + 1, on_commit)
    assert [text for text, _ in proactive_texts(shopper)] == ["Reminder", "Last chance: 15% off"]


@pytest.fixture
def carol_chatting(alice_store, alice_shop_mirror, assistant, shopper):
    """The shopper is Carol, a verified customer with order #1002 not yet shipped."""
    Contact.objects.filter(pk=shopper.conversation.contact_id).update(
        platform_customer_id="201", customer=alice_shop_mirror.carol
    )
    return shopper


def ship(store, order, number="1Z999"):
    now = timezone.now()
    record = {"platform_id": f"{order.platform_id}8", "status": "success", "carrier": "UPS", "tracking_number": number,
              "tracking_url": f"https://ups.example/{number}", "platform_created_at": now, "platform_updated_at": now}
    mirror.write_fulfillments(store, order, [record], now)


def test_order_shipped_is_told_at_once_to_a_shopper_who_is_online(alice_store, alice_shop_mirror, carol_chatting, on_commit):
    flow_saying(alice_store, "Good news: {{ vars.trigger.order.name }} is on its way ({{ vars.trigger.tracking_url }})",
                {"kind": "order_fulfilled", "display": "open"})
    ship(alice_store, alice_shop_mirror.orders["#1002"])
    Contact.objects.filter(pk=carol_chatting.conversation.contact_id).update(last_seen_at=timezone.now())
    with on_commit(execute=True):
        assert proactive_sweep.sweep() == {"carts": 0, "news": 1, "told": 1}
    assert proactive_texts(carol_chatting) == [("Good news: #1002 is on its way (https://ups.example/1Z999)", "open")]
    with on_commit(execute=True):
        assert proactive_sweep.sweep(later(30)) == {"carts": 0, "news": 0, "told": 0}  # told once
    # The order shipped before the trigger existed (#1001, nine days ago) is not news.
    assert PendingUpdate.objects.count() == 1


def test_order_shipped_waits_for_the_next_visit_of_a_shopper_who_is_away(alice_store, alice_shop_mirror, carol_chatting, on_commit):
    flow_saying(alice_store, "{{ vars.trigger.order.name }} has shipped", {"kind": "order_fulfilled"})
    Contact.objects.filter(pk=carol_chatting.conversation.contact_id).update(
        last_seen_at=timezone.now() - timedelta(hours=3)
    )
    ship(alice_store, alice_shop_mirror.orders["#1002"])
    with on_commit(execute=True):
        assert proactive_sweep.sweep() == {"carts": 0, "news": 1, "told": 0}
    assert proactive_texts(carol_chatting) == []
    page_event(carol_chatting, "page_view", {"url": "https://shop.alice.example/"})  # she comes back
    assert proactive_texts(carol_chatting) == [("#1002 has shipped", "teaser")]
    assert PendingUpdate.objects.get().delivered_at is not None
    # Her data export shows the news and the proactive message; erasing her data removes both.
    exported = privacy.export_shopper_data(alice_store, privacy.Shopper(customer_ids=("201",)))["conversations"]
    assert exported["news"][0]["data"]["order"]["name"] == "#1002"
    assert exported["proactive_messages"][0]["trigger__kind"] == "order_fulfilled"
    privacy.erase_shopper_data(alice_store, privacy.Shopper(customer_ids=("201",)))
    assert not PendingUpdate.objects.exists() and not ProactiveStart.objects.exists()


def test_a_product_back_in_stock_is_told_to_the_shopper_waiting_for_it(alice_store, alice_shop_mirror, shopper, assistant, on_commit):
    flow_saying(alice_store, "{{ vars.trigger.product.title }} ({{ vars.trigger.product.variant }}) is back!",
                {"kind": "back_in_stock", "display": "open"})
    shirt = alice_shop_mirror.shirt
    size_m = Variant.objects.get(store=alice_store, platform_id="1012")
    watch = watch_restock(alice_store, shirt, contact_id=shopper.conversation.contact_id, variant=size_m)
    Variant.objects.filter(pk=size_m.pk).update(inventory_quantity=4)
    mark_restocked(alice_store, [shirt.pk], timezone.now())
    Contact.objects.filter(pk=shopper.conversation.contact_id).update(last_seen_at=timezone.now())
    with on_commit(execute=True):
        assert proactive_sweep.sweep()["told"] == 1
    assert proactive_texts(shopper) == [("Linen Shirt (M) is back!", "open")]
    assert RestockWatch.objects.get(pk=watch.pk).notified_at is not None


def test_news_for_another_stores_shopper_stays_there(alice_store, bob_store, alice_shop_mirror, carol_chatting, on_commit):
    flow_saying(bob_store, "Bob: shipped", {"kind": "order_fulfilled"})
    ship(alice_store, alice_shop_mirror.orders["#1002"])
    with on_commit(execute=True):
        assert proactive_sweep.sweep()["news"] == 0  # Alice has no such trigger; Bob's never sees Alice's orders
    assert proactive_texts(carol_chatting) == []
