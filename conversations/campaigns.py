"""Campaigns: a proactive message or flow for a segment of shoppers, between two days, shown once to each.

Days are the store's own (its time zone): a campaign "from 1 June to 3 June" runs from midnight on 1 June to
the end of 3 June where the store is. ``conversations.proactive`` shows the first running campaign a
shopper has not seen at the start of a visit (after any trigger that fires there).
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from conversations.context import build_context
from conversations.models import Campaign, Contact, Conversation, ProactiveStart
from conversations.services import post_bot_messages
from flows import templating
from flows.models import Flow
from flows.nodes.base import MAX_TEXT, Reply
from flows.queries import access_flow
from tenants.models import Store

MAX_DAYS = 366
FIELDS = ("name", "audience", "tag", "text", "flow", "starts_on", "ends_on", "display", "enabled")


def store_today(store: Store, now: datetime) -> date:
    return now.astimezone(zoneinfo.ZoneInfo(store.timezone)).date()


def _running(store: Store, now: datetime):
    today = store_today(store, now)
    return Campaign.objects.filter(store=store, enabled=True, starts_on__lte=today, ends_on__gte=today)


def any_running(store: Store, now: datetime) -> bool:
    return _running(store, now).exists()


def in_audience(campaign: Campaign, contact: Contact) -> bool:
    if campaign.audience == Campaign.Audience.TAG:
        customer_tags = list(contact.customer.tags) if contact.customer_id and contact.customer else []
        wanted = campaign.tag.strip().lower()
        return any(str(t).strip().lower() == wanted for t in [*contact.tags, *customer_tags])
    return contact.segment == campaign.audience


def running_for(contact: Contact, now: datetime) -> list[Campaign]:
    """The store's campaigns running today that this shopper is in and has not been shown, oldest first."""
    seen = ProactiveStart.objects.filter(contact=contact, campaign__isnull=False).values("campaign_id")
    rows = _running(contact.store, now).exclude(pk__in=seen).order_by("starts_on", "id")
    return [c for c in rows if in_audience(c, contact)]


def render_text(campaign: Campaign, conversation: Conversation) -> str:
    return templating.render(campaign.text, build_context(conversation)).strip()


def post_campaign_message(conversation: Conversation, campaign: Campaign, text: str) -> None:
    post_bot_messages(conversation, [Reply.message(text)], proactive=campaign.display)


# --- writes (the dashboard page and the REST API) ----------------------------------------------------


def _clean(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        errors["name"] = "Give the campaign a name of up to 100 characters."
    if data.get("audience") not in Campaign.Audience.values:
        errors["audience"] = f"Choose who sees it: {', '.join(Campaign.Audience.values)}."
    tag = str(data.get("tag") or "").strip()[:50]
    if data.get("audience") == Campaign.Audience.TAG and not tag:
        errors["tag"] = "Name the tag shoppers must have."
    text, flow = str(data.get("text") or "").strip(), data.get("flow")
    if flow is not None and not isinstance(flow, Flow):
        flow = _flow(store, flow, errors)
    if bool(text) == bool(flow):
        errors["text"] = "Write a message, or choose a flow to start (one of the two)."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Keep the message under {MAX_TEXT} characters."
    elif text and templating.template_errors(text):
        errors["text"] = templating.template_errors(text)[0]
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, date) or not isinstance(ends, date):
        errors["starts_on"] = "Give the first and the last day (YYYY-MM-DD)."
    elif ends < starts:
        errors["ends_on"] = "The last day is before the first."
    elif (ends - starts).days >= MAX_DAYS:
        errors["ends_on"] = "A campaign runs for at most a year."
    if data.get("display", "teaser") not in Campaign.Display.values:
        errors["display"] = "Show it as a 'teaser' bubble or 'open' the chat."
    if errors:
        raise ValidationError(errors)
    return {
        "name": name, "audience": data["audience"], "tag": tag, "text": text, "flow": flow, "starts_on": starts,
        "ends_on": ends, "display": data.get("display", "teaser"), "enabled": bool(data.get("enabled", True)),
    }  # fmt: skip


def _flow(store: Store, flow_id: Any, errors: dict) -> Flow | None:
    from django.http import Http404

    try:
        flow = access_flow(store, int(flow_id))
    except (Http404, TypeError, ValueError):
        errors["flow"] = "Choose one of this store's flows."
        return None
    if flow.published_version_id is None:
        errors["flow"] = "Publish the flow first: only published flows can start."
    return flow


@transaction.atomic
def create_campaign(store: Store, **data) -> Campaign:
    """A new campaign; ``ValidationError`` (by field) for anything wrong, and nothing is stored."""
    return Campaign.objects.create(store=store, **_clean(store, data))


@transaction.atomic
def update_campaign(campaign: Campaign, **changes) -> Campaign:
    """Change some fields (the others stay); validated as a whole."""
    current = {f: getattr(campaign, f) for f in FIELDS}
    cleaned = _clean(campaign.store, {**current, **changes})
    for key, value in cleaned.items():
        setattr(campaign, key, value)
    campaign.save()
    return campaign


def delete_campaign(campaign: Campaign) -> None:
    campaign.delete()


def access_campaign(store: Store, campaign_id) -> Campaign:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Campaign.objects.select_related("flow"), store=store, pk=campaign_id)


def shown_counts(store: Store) -> dict[int, int]:
    from django.db.models import Count

    rows = ProactiveStart.objects.filter(store=store, campaign__isnull=False).values("campaign_id")
    return dict(rows.annotate(n=Count("id")).values_list("campaign_id", "n"))
