"""Dashboard pages: overview, flows (revenue and funnels), A/B results, unanswered questions, CSV export.

Owners and admins only. Each page reads the period from ``from``/``to`` and renders the same report the
REST API returns; a bad period re-renders the page with the message and a 400.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from analytics import reports
from analytics.api import csv_response
from analytics.experiments import CONVERSION_GOALS, experiments
from analytics.funnels import funnel
from analytics.overview import overview
from analytics.periods import parse_period
from analytics.revenue import revenue_report
from analytics.unanswered import unanswered
from flows.models import Flow
from flows.queries import access_flow
from flows.understanding import services as understanding
from tenants.models import Role
from tenants.scoping import store_route

GOAL_CHOICES = [("any", "Any goal"), *[(g, g.replace("_", " ").capitalize()) for g in CONVERSION_GOALS[1:-1]],
                ("order", "An order (attributed)")]  # fmt: skip


class FaqFromGroupForm(forms.Form):
    questions = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="One way of asking per line.")
    answer = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def _page(request, template: str, build, status=200, **extra):
    """Render ``template`` with the period and ``build(period)``'s report, or the period's error (400)."""
    store = request.store
    context = {"store": store, "params": request.GET, "section": template, **extra}
    try:
        period = reports.period_from(store, request.GET)
        context.update(period=period, report=build(period))
    except reports.ReportError as exc:
        context.update(error=str(exc), period=parse_period(store))
        status = 400
    return render(request, f"analytics/{template}.html", context, status=status)


@store_route(role=Role.ADMIN)
def analytics_overview(request, store_slug):
    return _page(request, "overview", lambda period: overview(request.store, period))


@store_route(role=Role.ADMIN)
def analytics_flows(request, store_slug):
    return _page(request, "flows", lambda period: revenue_report(request.store, period),
                 flows=Flow.objects.filter(store=request.store))  # fmt: skip


@store_route(role=Role.ADMIN)
def analytics_funnel(request, store_slug, flow_id):
    flow = access_flow(request.store, flow_id)
    return _page(request, "funnel", lambda period: funnel(request.store, flow, period), flow=flow)


@store_route(role=Role.ADMIN)
def analytics_experiments(request, store_slug):
    def build(period):
        return experiments(request.store, period, goal=reports.goal_from(request.GET))

    return _page(request, "experiments", build, goals=GOAL_CHOICES)


@store_route(role=Role.ADMIN)
def analytics_unanswered(request, store_slug):
    return _page(request, "unanswered", lambda period: unanswered(request.store, period), form=FaqFromGroupForm())


@require_POST
@store_route(role=Role.ADMIN)
def analytics_unanswered_faq(request, store_slug):
    """One click on a group: its phrasings become an FAQ entry's questions, with the answer typed beside them."""
    form = FaqFromGroupForm(request.POST)
    if form.is_valid():
        try:
            understanding.create_faq_entry(request.store, questions=form.cleaned_data["questions"].splitlines(),
                                           answer=form.cleaned_data["answer"])  # fmt: skip
        except understanding.InvalidPhrases as exc:
            form.add_error("questions", str(exc))
        else:
            messages.success(request, "FAQ entry added: the bot answers these questions from now on.")
            return redirect(f"{reverse('analytics_unanswered', args=[store_slug])}?{request.GET.urlencode()}")
    return _page(request, "unanswered", lambda period: unanswered(request.store, period), status=400, form=form)


@store_route(role=Role.ADMIN)
def analytics_export(request, store_slug):
    try:
        return csv_response(*reports.export(request.store, request.GET))
    except reports.ReportError as exc:
        return render(request, "error.html", {"status": 400, "message": str(exc)}, status=400)
