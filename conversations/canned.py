"""Canned responses: a store's saved replies, managed by owners and admins, used by every agent.

An agent types ``/returns`` in the reply box; the inbox offers the store's shortcuts that match and, once
one is chosen, ``expand`` renders its text for that conversation with the flows' sandboxed templating
(``{{ contact.first_name | default:"there" }}``), so the agent sees and can edit the words before sending.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conversations.context import build_context
from conversations.models import CannedResponse
from conversations.queries import access_conversation
from flows.nodes.base import MAX_TEXT
from flows.templating import render, template_errors
from tenants.models import Store

SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_PER_STORE = 500


def _clean(shortcut: Any, text: Any) -> tuple[str, str]:
    shortcut = str(shortcut or "").strip().lstrip("/").lower() if isinstance(shortcut, str) else ""
    if not SHORTCUT.match(shortcut):
        raise ValidationError({"shortcut": "Use 1-40 lowercase letters, digits, - or _, e.g. returns."})
    text = text.strip() if isinstance(text, str) else ""
    if not text or len(text) > MAX_TEXT:
        raise ValidationError({"text": f"Write the reply: 1 to {MAX_TEXT} characters."})
    problems = template_errors(text)
    if problems:
        raise ValidationError({"text": problems})
    return shortcut, text


def _save(response: CannedResponse) -> CannedResponse:
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError({"shortcut": f"/{response.shortcut} is already a canned response."}) from None
    return response


def create_canned_response(store: Store, *, shortcut: Any, text: Any, created_by=None) -> CannedResponse:
    shortcut, text = _clean(shortcut, text)
    if CannedResponse.objects.filter(store=store).count() >= MAX_PER_STORE:
        raise ValidationError(f"A store can keep at most {MAX_PER_STORE} canned responses.")
    return _save(CannedResponse(store=store, shortcut=shortcut, text=text, created_by=created_by))


def update_canned_response(response: CannedResponse, *, shortcut: Any = None, text: Any = None) -> CannedResponse:
    response.shortcut, response.text = _clean(
        response.shortcut if shortcut is None else shortcut, response.text if text is None else text
    )
    return _save(response)


def delete_canned_response(response: CannedResponse) -> None:
    response.delete()


def canned_responses_of(store: Store) -> list[CannedResponse]:
    return list(CannedResponse.objects.filter(store=store).order_by("shortcut"))


def matching(store: Store, typed: str, limit: int = 8) -> list[CannedResponse]:
    """Shortcuts starting with what follows the ``/``, then those containing it."""
    typed = (typed or "").lstrip("/").strip().lower()[:40]
    rows = CannedResponse.objects.filter(store=store)
    starts = list(rows.filter(shortcut__startswith=typed).order_by("shortcut")[:limit])
    more = rows.filter(shortcut__contains=typed).exclude(pk__in=[r.pk for r in starts]).order_by("shortcut")
    return starts + list(more[: limit - len(starts)])


def expand(store: Store, conversation_id: Any, shortcut: Any) -> str:
    """The canned response's text rendered for this conversation's shopper (a missing value renders empty)."""
    conversation = access_conversation(store, conversation_id)
    name = shortcut.lstrip("/").lower() if isinstance(shortcut, str) else ""
    response = CannedResponse.objects.filter(store=store, shortcut=name).first()
    if response is None:
        raise ValidationError(f"There is no canned response /{name[:40]}.", code="not_found")
    return render(response.text, build_context(conversation))


DEMO_RESPONSES = {
    "hello": 'Hi {{ contact.first_name | default:"there" }}, this is the {{ store.name }} team. How can I help?',
    "returns": "You can return anything within 30 days: reply here with your order number and we'll send a "
    "free return label to {{ contact.email | default:\"your email\" }}.",
    "shipping": "Orders ship within one working day; delivery takes 2-4 days.",
    "thanks": "Thanks for chatting with {{ store.name }}, {{ contact.first_name | default:\"and have a nice day\" }}!",
}


def seed_demo_canned_responses(store: Store) -> str:
    """``seed_demo``: a few canned responses for the demo inbox (kept if the demo's owner changed them)."""
    for shortcut, text in DEMO_RESPONSES.items():
        CannedResponse.objects.get_or_create(store=store, shortcut=shortcut, defaults={"text": text})
    return f"{len(DEMO_RESPONSES)} canned responses (type / in the inbox's reply box)"
