"""Dashboard pages: the store's intents and FAQ entries (owners and admins)."""

from django import forms
from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from flows.understanding import queries, services
from tenants.models import Role
from tenants.scoping import store_route


class IntentForm(forms.Form):
    name = forms.SlugField(max_length=60, help_text="Letters, digits, _ and -: flows read it as {{ intent }}.")
    examples = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), help_text="One phrase per line.")


class FaqForm(forms.Form):
    questions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="One way of asking per line.")
    answer = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="May use {{ contact.first_name }} and the other flow variables.")  # fmt: skip


class ThresholdForm(forms.Form):
    intent_threshold = forms.FloatField(min_value=0.0, max_value=1.0, label="Confidence threshold")


def _page(request, status=200, **forms_):
    store = request.store
    context = {
        "store": store, "intents": queries.intents_of(store), "faqs": queries.faq_entries_of(store),
        "intent_form": forms_.get("intent_form") or IntentForm(), "faq_form": forms_.get("faq_form") or FaqForm(),
        "threshold_form": ThresholdForm(initial={"intent_threshold": store.intent_threshold}),
    }  # fmt: skip
    return render(request, "flows/understanding.html", context, status=status)


def _lines(text: str) -> list[str]:
    return text.splitlines()


@store_route(role=Role.ADMIN)
def understanding(request, store_slug):
    return _page(request)


@require_POST
@store_route(role=Role.ADMIN)
def intent_add(request, store_slug):
    form = IntentForm(request.POST)
    if form.is_valid():
        try:
            services.create_intent(request.store, name=form.cleaned_data["name"],
                                   examples=_lines(form.cleaned_data["examples"]))  # fmt: skip
        except services.InvalidPhrases as exc:
            form.add_error("examples", str(exc))
        except IntegrityError:
            form.add_error("name", "This store already has an intent with that name.")
        else:
            messages.success(request, "Intent added; the bot learns it in a moment.")
            return redirect("understanding", store_slug)
    return _page(request, status=400, intent_form=form)


@require_POST
@store_route(role=Role.ADMIN)
def intent_delete(request, store_slug, intent_id):
    services.delete_intent(queries.access_intent(request.store, intent_id))
    return redirect("understanding", store_slug)


@require_POST
@store_route(role=Role.ADMIN)
def faq_add(request, store_slug):
    form = FaqForm(request.POST)
    if form.is_valid():
        try:
            services.create_faq_entry(request.store, questions=_lines(form.cleaned_data["questions"]),
                                      answer=form.cleaned_data["answer"])  # fmt: skip
        except services.InvalidPhrases as exc:
            form.add_error("questions", str(exc))
        else:
            messages.success(request, "FAQ entry added.")
            return redirect("understanding", store_slug)
    return _page(request, status=400, faq_form=form)


@require_POST
@store_route(role=Role.ADMIN)
def faq_delete(request, store_slug, faq_id):
    services.delete_faq_entry(queries.access_faq_entry(request.store, faq_id))
    return redirect("understanding", store_slug)


@require_POST
@store_route(role=Role.ADMIN)
def threshold_set(request, store_slug):
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The threshold must be a number between 0 and 1.")
        return redirect("understanding", store_slug)
    services.set_intent_threshold(request.store, form.cleaned_data["intent_threshold"])
    return redirect("understanding", store_slug)
