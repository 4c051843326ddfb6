"""The demo store's campaign: new visitors are greeted with an offer (shown once each, for the next month)."""

from datetime import timedelta

from django.utils import timezone

from conversations import campaigns
from conversations.models import Campaign
from tenants.models import Store

DEMO_CAMPAIGN = "Welcome offer"


def seed_demo_campaigns(store: Store) -> str:
    """Create (or move forward) the demo campaign so it runs from today for 30 days, store time."""
    today = campaigns.store_today(store, timezone.now())
    fields = {
        "audience": Campaign.Audience.NEW, "display": Campaign.Display.TEASER, "starts_on": today,
        "ends_on": today + timedelta(days=30), "enabled": True,
        "text": "New here? Orders over $50 ship free this month. Ask me anything about sizes or delivery!",
    }  # fmt: skip
    existing = Campaign.objects.filter(store=store, name=DEMO_CAMPAIGN).first()
    if existing is None:
        campaigns.create_campaign(store, name=DEMO_CAMPAIGN, **fields)
    else:
        campaigns.update_campaign(existing, **fields)
    return f"campaigns: “{DEMO_CAMPAIGN}” greets new visitors once, until {fields['ends_on']:%d %b %Y}"
