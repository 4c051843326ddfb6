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
from flows.nodes.base import Reply
from tenants.hours import next_opening
from tenants.models import Locale, Store

# The bot's words, in the widget's languages. {when} is the next opening in the store's time zone.
STRINGS = {
    "en": {
        "away": "A person from our team will answer from {when}.",
        "ask": "Leave your email address and we'll get back to you there.",
        "known": "We'll get back to you at {email}.",
        "thanks": "Thanks! We'll get back to you at {email}.",
        "format": "l, j F, H:i",
    },
    "de": {
        "away": "Ab {when} antwortet dir ein Mensch aus unserem Team.",
        "ask": "Hinterlasse deine E-Mail-Adresse, dann melden wir uns dort.",
        "known": "Wir melden uns bei dir unter {email}.",
        "thanks": "Danke! Wir melden uns bei dir unter {email}.",
        "format": "l, j. F, H:i",
    },
    "fr": {
        "away": "Une personne de notre équipe vous répondra à partir de {when}.",
        "ask": "Laissez votre adresse e-mail et nous vous répondrons.",
        "known": "Nous vous répondrons à {email}.",
        "thanks": "Merci ! Nous vous répondrons à {email}.",
        "format": "l j F, H:i",
    },
    "es": {
        "away": "Una persona de nuestro equipo te responderá a partir del {when}.",
        "ask": "Déjanos tu correo electrónico y te responderemos allí.",
        "known": "Te responderemos en {email}.",
        "thanks": "¡Gracias! Te responderemos en {email}.",
        "format": "l j \\d\\e F, H:i",
    },
    "nl": {
        "away": "Vanaf {when} antwoordt een medewerker van ons team.",
        "ask": "Laat je e-mailadres achter, dan nemen we daar contact met je op.",
        "known": "We nemen contact met je op via {email}.",
        "thanks": "Bedankt! We nemen contact met je op via {email}.",
        "format": "l j F, H:i",
    },
}


def locale_of(conversation: Conversation) -> str:
    """The shopper's widget language when we speak it, else the store's."""
    wanted = str((conversation.context or {}).get("locale") or "")[:2].lower()
    return wanted if wanted in Locale.values else conversation.store.locale


def words(conversation: Conversation) -> dict[str, str]:
    return STRINGS.get(locale_of(conversation), STRINGS["en"])


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

    text = words(conversation)
    lines = [text["away"].format(when=format_opening(opens, locale_of(conversation), text["format"]))]
    email = conversation.contact.email
    lines.append(text["known"].format(email=email) if email else text["ask"])
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
    post_bot_messages(fresh, [Reply.message(words(fresh)["thanks"].format(email=contact.email))])
    return True
