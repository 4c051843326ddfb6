"""The campaigns dashboard page: list, create, pause/resume and delete. Every write is a campaigns service."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from conversations import campaigns
from conversations.models import Campaign
from flows.models import Flow
from tenants.models import Role
from tenants.scoping import store_route
from tenants.views import add_form_errors


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="For you, e.g. “Summer sale launch”.")
    audience = forms.ChoiceField(label="Who sees it", choices=Campaign.Audience.choices)
    tag = forms.CharField(max_length=50, required=False, help_text="For “Shoppers with a tag”: the tag.")
    text = forms.CharField(
        label="Message", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Personalize with {{ contact.first_name }}, {{ store.name }}… Leave empty to start a flow.",
    )  # fmt: skip
    flow = forms.ModelChoiceField(label="Or start a flow", queryset=Flow.objects.none(), required=False)
    starts_on = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))
    display = forms.ChoiceField(label="Show it as", choices=Campaign.Display.choices)

    def __init__(self, *args, store, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flow"].queryset = Flow.objects.filter(store=store, published_version__isnull=False)
        self.fields["starts_on"].help_text = f"Days are in the store's time zone ({store.timezone})."


@store_route(role=Role.ADMIN)
def campaign_list(request, store_slug):
    store = request.store
    form = CampaignForm(request.POST or None, store=store)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.create_campaign(store, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"Campaign “{campaign.name}” saved.")
            return redirect("campaigns", store_slug=store_slug)
    shown = campaigns.shown_counts(store)
    today = campaigns.store_today(store, timezone.now())
    rows = [
        {"campaign": c, "shown": shown.get(c.pk, 0), "running": c.enabled and c.starts_on <= today <= c.ends_on}
        for c in Campaign.objects.filter(store=store).select_related("flow")
    ]
    context = {"store": store, "form": form, "rows": rows, "today": today}
    return render(request, "conversations/campaigns.html", context, status=400 if form.errors else 200)


@require_POST
@store_route(role=Role.ADMIN)
def campaign_toggle(request, store_slug, campaign_id):
    campaign = campaigns.access_campaign(request.store, campaign_id)
    campaigns.update_campaign(campaign, enabled=not campaign.enabled)
    messages.success(request, f"Campaign “{campaign.name}” {'resumed' if campaign.enabled else 'paused'}.")
    return redirect("campaigns", store_slug=store_slug)


@require_POST
@store_route(role=Role.ADMIN)
def campaign_delete(request, store_slug, campaign_id):
    campaign = campaigns.access_campaign(request.store, campaign_id)
    campaigns.delete_campaign(campaign)
    messages.success(request, f"Campaign “{campaign.name}” deleted.")
    return redirect("campaigns", store_slug=store_slug)
