"""The widget protocol's shapes for stored rows (see docs/widget-protocol.md)."""

from conversations.models import Conversation, Message


def message_payload(message: Message) -> dict:
    data = {
        "id": message.pk,
        "sender": message.sender,
        "text": message.text,
        "created_at": message.created_at.isoformat(),
    }
    if message.client_id:
        data["client_id"] = message.client_id
    if message.author_id:
        data["author"] = {"name": message.author.display_name, "avatar_url": ""}
    if message.buttons:
        data["buttons"] = message.buttons
    if message.cards:
        data["cards"] = message.cards
    if message.image_url:
        data["image_url"] = message.image_url
    if message.proactive:
        data["proactive"] = message.proactive
    return data


def agent_message_payload(message: Message) -> dict:
    """What the inbox shows of a message: the widget's shape plus, for a shopper's, its sentiment."""
    data = message_payload(message)
    if message.data.get("sentiment"):
        data["sentiment"] = message.data["sentiment"]
    return data


def conversation_payload(conversation: Conversation) -> dict:
    data = {"id": conversation.pk, "status": conversation.status, "held_by": conversation.held_by}
    if conversation.assignee_id:
        data["agent"] = {"name": conversation.assignee.display_name, "avatar_url": ""}
    return data
