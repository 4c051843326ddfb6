"""What a flow knows about a verified customer (and what typing an email into the chat does not reveal)."""

from decimal import Decimal

from conversations import services
from conversations.context import build_context
from conversations.models import Message, Segment, Sender
from tenants import privacy
from tests.conversations.conftest import Shopper, publish
from tests.flowkit import graph, node


def test_a_verified_customer_is_greeted_with_their_latest_order(alice_store, alice_shop_mirror, on_commit):
    publish(alice_store, graph([node("hi", "send_message",
        text="Welcome back {{ customer.first_name }}! Your order {{ orders.0.name }} is {{ orders.0.fulfillment_status }}.")], []))  # fmt: skip
    contact = services.identify_contact(services.get_or_create_contact(alice_store), customer_id="201")
    assert contact.customer == alice_shop_mirror.carol and contact.name == "Carol Example"
    with on_commit(execute=True):
        conversation = services.start_conversation(contact)
    greeting = Message.objects.filter(conversation=conversation, sender=Sender.BOT).values_list("text", flat=True)
    assert list(greeting) == ["Welcome back Carol! Your order #1002 is unfulfilled."]
    context = build_context(conversation)
    assert [o["name"] for o in context["orders"]] == ["#1002", "#1001"]
    assert context["orders"][1]["shipments"][0]["tracking_number"] == "1Z001"


def test_typing_a_customers_email_into_the_chat_reveals_nothing(alice_store, alice_shop_mirror, on_commit):
    publish(alice_store, graph([node("ask", "collect_input", prompt="Email?", kind="email", save_to="contact.email")], []))
    shopper = Shopper(alice_store, on_commit)
    shopper.say("carol@example.com")
    conversation = shopper.refresh()
    assert conversation.contact.email == "carol@example.com"
    context = build_context(conversation)
    assert context["customer"] == {} and context["orders"] == []


def test_segments_come_from_the_verified_customers_orders_and_the_stores_thresholds(alice_store, alice_shop_mirror):
    contact = services.identify_contact(services.get_or_create_contact(alice_store), customer_id="201")
    assert contact.segment == Segment.NEW
    alice_shop_mirror.carol.orders_count = 3
    alice_shop_mirror.carol.save()
    contact.customer.refresh_from_db()
    assert services.segment_of(contact) == Segment.LOYAL
    alice_shop_mirror.carol.amount_spent = Decimal("900")
    alice_shop_mirror.carol.save()
    contact.customer.refresh_from_db()
    assert services.segment_of(contact) == Segment.HIGH_VALUE
    contact.store.high_value_spend = Decimal("1000")
    assert services.segment_of(contact) == Segment.LOYAL


def test_a_verified_customers_chats_are_erased_by_customer_id(alice_store, alice_shop_mirror, on_commit):
    contact = services.identify_contact(services.get_or_create_contact(alice_store), customer_id="202")
    erased = privacy.erase_shopper_data(alice_store, privacy.Shopper(customer_ids=("202",)))
    assert erased["conversations"] >= 1
    assert not type(contact).objects.filter(pk=contact.pk).exists()


def test_product_cards_carry_the_platforms_ids_prices_and_stock(alice_store, alice_shop_mirror):
    from conversations.shop import ShopReader

    cards = ShopReader(alice_store).product_cards(source="products", handles=["straw-hat", "linen-shirt"], limit=4)
    assert [c.title for c in cards] == ["Straw Hat", "Linen Shirt"]
    shirt = cards[1]
    assert shirt.product_id == "101" and shirt.variant_id == "1011" and shirt.in_stock  # M is sold out; S is not
    assert [v["id"] for v in shirt.variants] == ["1011", "1012"] and shirt.variants[1]["in_stock"] is False


def test_erasing_a_shopper_also_forgets_their_back_in_stock_requests(alice_store, alice_shop_mirror):
    from integrations.models import RestockWatch

    contact = services.get_or_create_contact(alice_store)
    contact.email = "erin@example.com"
    contact.save()
    variant = alice_shop_mirror.shirt.variants.get(platform_id="1012")  # sold out
    RestockWatch.objects.create(store=alice_store, product=alice_shop_mirror.shirt, variant=variant, contact_id=contact.pk)
    privacy.erase_shopper_data(alice_store, privacy.Shopper(email="erin@example.com"))
    assert not RestockWatch.objects.filter(store=alice_store, contact_id=contact.pk).exists()


def test_the_context_holds_everything_design_lists(alice_store, alice_shop_mirror, on_commit):
    """contact (visit, segment, logged in), customer, orders, cart, page (with UTM), store, vars, entities, intent."""
    from conversations import sessions

    contact = services.identify_contact(services.get_or_create_contact(alice_store), customer_id="201")
    with on_commit(execute=True):
        conversation = services.start_conversation(contact)
    landing = "https://shop.alice.example/?utm_source=Instagram&utm_campaign=june"
    sessions.record_widget_event(alice_store, conversation.pk, contact.pk, "page_view",
                                 {"url": landing, "title": "Home", "referrer": "https://instagram.com/"})  # fmt: skip
    sessions.record_widget_event(alice_store, conversation.pk, contact.pk, "cart_updated",
                                 {"cart": {"items": [{"product_id": "101", "quantity": 1}], "total": "40.00"}})  # fmt: skip
    conversation.refresh_from_db()
    context = build_context(conversation)
    assert set(context) >= {"contact", "customer", "orders", "cart", "page", "store", "vars", "entities", "intent"}
    assert context["contact"]["first_visit"] is True and context["contact"]["returning"] is False
    assert context["contact"]["logged_in"] is True and context["contact"]["segment"] == "new"
    assert context["customer"]["first_name"] == "Carol" and context["orders"][0]["name"] == "#1002"
    assert context["page"] == {"url": landing, "title": "Home", "referrer": "https://instagram.com/",
                               "utm": {"source": "instagram", "campaign": "june"}}  # fmt: skip
    assert context["cart"]["total"] == "40.00"
    assert context["store"]["loyal_after_orders"] == 3 and context["store"]["high_value_spend"] == "500.00"
