"""Outside business hours: a handoff tells the shopper when a person will answer and asks for their email.

Bot turns tell the flow that no agent is online while the store is closed, so a handoff node takes its
"team offline" path (which may already ask for an email). When the handoff happens, the bot adds when a
person will answer (the next opening, in the store's time zone and the shopper's language) and, if the
shopper's email is still unknown, asks for it. The conversation waits in "needs a human" (nobody is
assigned, even if someone is online). The shopper's next message that is an email address is stored on
the contact (a lead, like one a flow collects) and the bot confirms it.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import dateformat, timezone, translation

from conversations.models import Contact, Conversation, Message
from conversations.phrases import locale_of, phrase
from flows.nodes.base import Reply
from tenants.hours import next_opening
from tenants.models import Store


def closed_until(store: Store, now: datetime | None = None) -> datetime | None:
    """When the store's team is next in, while it is outside business hours; None while open."""
    return next_opening(store.business_hours, store.timezone, now or timezone.now())


def format_opening(opens: datetime, locale: str, pattern: str) -> str:
    """A local time in words, e.g. "Monday, 3 March, 09:00 (Europe/Berlin)", day and month in ``locale``."""
    with translation.override(locale):
        return f"{dateformat.format(opens, pattern)} ({opens.tzinfo})"


def say_when_people_answer(conversation: Conversation, opens: datetime) -> None:
    """The bot's away message on a handoff outside hours; asks for an email unless we have one.

    Call inside the handoff's transaction."""
    from conversations.services import _update_conversation, post_bot_messages

    when = format_opening(opens, locale_of(conversation), phrase(conversation, "away_format"))
    email = conversation.contact.email
    lines = [phrase(conversation, "away", when=when)]
    lines.append(phrase(conversation, "away_known", email=email) if email else phrase(conversation, "away_ask"))
    post_bot_messages(conversation, [Reply.message(" ".join(lines))])
    if not email:
        _update_conversation(conversation, collecting_email=True)


def take_email(conversation: Conversation, message: Message) -> bool:
    """Keep the address if the shopper's message is one (asked for outside hours). Call inside a transaction."""
    from conversations.services import _update_conversation, apply_contact_changes, post_bot_messages

    address = message.text.strip()
    try:
        validate_email(address)
    except ValidationError:
        return False  # an ordinary message: the team reads it when they are in
    contact = Contact.objects.select_for_update().get(pk=conversation.contact_id, store=conversation.store)
    apply_contact_changes(contact, {"email": address})
    fresh = Conversation.objects.select_related("store", "contact").get(pk=conversation.pk)
    _update_conversation(fresh, collecting_email=False)
    post_bot_messages(fresh, [Reply.message(phrase(fresh, "away_thanks", email=contact.email))])
    return True
