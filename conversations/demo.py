"""The demo store's proactive messages: a welcome campaign for new visitors (once each, for the next month),
and a flow that offers help to a shopper who has been browsing a while (a time-on-page trigger)."""

from datetime import timedelta

from django.utils import timezone

from conversations import campaigns
from conversations.models import Campaign
from flows import services as flow_services
from flows.models import Flow
from flows.triggers.services import set_flow_triggers
from tenants.models import Store

DEMO_CAMPAIGN = "Welcome offer"
DEMO_TRIGGERED_FLOW = "Offer help while browsing"
HELP_GRAPH = {
    "start": "offer",
    "nodes": [{"id": "offer", "type": "send_message", "position": {"x": 0, "y": 0},
               "config": {"text": "Still browsing? I can help you find a size, a gift or your order — just ask."}}],
    "edges": [],
}  # fmt: skip


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
    flow = Flow.objects.filter(store=store, name=DEMO_TRIGGERED_FLOW).first() or flow_services.create_flow(
        store, name=DEMO_TRIGGERED_FLOW, description="Started by a trigger after a minute on a page.", graph=HELP_GRAPH
    )
    flow_services.publish_flow(flow, note="Seeded for the demo")
    set_flow_triggers(flow, [{"kind": "time_on_page", "seconds": 60, "cap_per_day": 1, "display": "teaser"}])
    return (f"proactive: the campaign “{DEMO_CAMPAIGN}” greets new visitors once, until {fields['ends_on']:%d %b %Y}; "
            f"“{DEMO_TRIGGERED_FLOW}” starts after a minute on a page")  # fmt: skip
