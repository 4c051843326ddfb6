"""The fixed sentences the inbox has the bot say to shoppers, in the widget's languages.

The shopper's widget language wins when we speak it, else the store's. ``{when}`` is a local time in words,
``{email}`` an address; the text is plain (the widget shows it as text).
"""

from conversations.models import Conversation
from tenants.models import Locale

PHRASES = {
    "en": {
        "away": 'A person from our team will answer from {when}.',
        "away_ask": "Leave your email address and we'll get back to you there.",
        "away_known": "We'll get back to you at {email}.",
        "away_thanks": "Thanks! We'll get back to you at {email}.",
        "away_format": 'l, j F, H:i',
        "rating_ask": 'How did we do? Rate this chat:',
        "rating_thanks": 'Thank you for your rating!',
        "transcript_button": 'Email me this chat',
        "transcript_sent": "We've emailed this chat to {email}.",
        "transcript_no_email": "We don't have your email address yet.",
        "products": "Here's something you might like:",
    },
    "de": {
        "away": 'Ab {when} antwortet dir ein Mensch aus unserem Team.',
        "away_ask": 'Hinterlasse deine E-Mail-Adresse, dann melden wir uns dort.',
        "away_known": 'Wir melden uns bei dir unter {email}.',
        "away_thanks": 'Danke! Wir melden uns bei dir unter {email}.',
        "away_format": 'l, j. F, H:i',
        "rating_ask": "Wie war's? Bewerte diesen Chat:",
        "rating_thanks": 'Danke für deine Bewertung!',
        "transcript_button": 'Chat per E-Mail senden',
        "transcript_sent": 'Wir haben dir den Chat an {email} geschickt.',
        "transcript_no_email": 'Wir haben noch keine E-Mail-Adresse von dir.',
        "products": 'Das könnte dir gefallen:',
    },
    "fr": {
        "away": 'Une personne de notre équipe vous répondra à partir de {when}.',
        "away_ask": 'Laissez votre adresse e-mail et nous vous répondrons.',
        "away_known": 'Nous vous répondrons à {email}.',
        "away_thanks": 'Merci ! Nous vous répondrons à {email}.',
        "away_format": 'l j F, H:i',
        "rating_ask": 'Comment était-ce ? Notez cette discussion :',
        "rating_thanks": 'Merci pour votre note !',
        "transcript_button": "M'envoyer la discussion",
        "transcript_sent": 'Nous avons envoyé la discussion à {email}.',
        "transcript_no_email": "Nous n'avons pas encore votre adresse e-mail.",
        "products": 'Ceci pourrait vous plaire :',
    },
    "es": {
        "away": 'Una persona de nuestro equipo te responderá a partir del {when}.',
        "away_ask": 'Déjanos tu correo electrónico y te responderemos allí.',
        "away_known": 'Te responderemos en {email}.',
        "away_thanks": '¡Gracias! Te responderemos en {email}.',
        "away_format": 'l j \\d\\e F, H:i',
        "rating_ask": '¿Qué tal lo hicimos? Valora este chat:',
        "rating_thanks": '¡Gracias por tu valoración!',
        "transcript_button": 'Enviarme este chat',
        "transcript_sent": 'Hemos enviado este chat a {email}.',
        "transcript_no_email": 'Todavía no tenemos tu correo electrónico.',
        "products": 'Esto te puede gustar:',
    },
    "nl": {
        "away": 'Vanaf {when} antwoordt een medewerker van ons team.',
        "away_ask": 'Laat je e-mailadres achter, dan nemen we daar contact met je op.',
        "away_known": 'We nemen contact met je op via {email}.',
        "away_thanks": 'Bedankt! We nemen contact met je op via {email}.',
        "away_format": 'l j F, H:i',
        "rating_ask": 'Hoe hebben we het gedaan? Beoordeel deze chat:',
        "rating_thanks": 'Bedankt voor je beoordeling!',
        "transcript_button": 'Mail mij deze chat',
        "transcript_sent": 'We hebben deze chat naar {email} gestuurd.',
        "transcript_no_email": 'We hebben je e-mailadres nog niet.',
        "products": 'Dit vind je misschien leuk:',
    },
}



def locale_of(conversation: Conversation) -> str:
    """The shopper's widget language when we speak it, else the store's."""
    wanted = str((conversation.context or {}).get("locale") or "")[:2].lower()
    return wanted if wanted in Locale.values else conversation.store.locale


def phrase(conversation: Conversation, key: str, **values) -> str:
    words = PHRASES.get(locale_of(conversation), PHRASES["en"])
    return words[key].format(**values) if values else words[key]
