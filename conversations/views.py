"""The agent inbox page and the canned responses page. Thin: reads from ``conversations/queries.py``; the
inbox's writes go over the agents' socket, the canned responses' through ``conversations/canned.py``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from conversations import canned, queries
from flows.models import Flow
from integrations.queries import orders_of_customer
from tenants.models import Membership, Role
from tenants.scoping import store_route
from tenants.views import add_form_errors


@store_route(role=Role.AGENT)
def inbox(request, store_slug):
    store, view = request.store, request.GET.get("view", "needs_human")
    search = request.GET.get("q", "")
    context = {
        "store": store, "views": queries.VIEWS, "view": view if view in queries.VIEWS else "needs_human",
        "search": search[:100], "conversations": queries.inbox_conversations(store, request.user, view, search),
        "teammates": Membership.objects.filter(store=store).select_related("user").order_by("user__name"),
        "flows": Flow.objects.filter(store=store, published_version__isnull=False).order_by("name"),
        "canned": [{"shortcut": c.shortcut, "text": c.text} for c in canned.canned_responses_of(store)],
    }  # fmt: skip
    selected = request.GET.get("c", "")
    if selected.isdigit():
        conversation = queries.access_conversation(store, int(selected))
        contact = conversation.contact
        context.update(
            selected=conversation, contact=contact, summary=queries.summary(conversation),
            orders=orders_of_customer(store, contact.customer, limit=5) if contact.customer else [],
        )  # fmt: skip
    return render(request, "conversations/inbox.html", context)


class CannedResponseForm(forms.Form):
    shortcut = forms.CharField(max_length=41, help_text="Agents type /shortcut in the reply box, e.g. returns.")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="May use {{ contact.first_name }}, {{ store.name }} and the other flow values.")


def _canned_page(request, form=None, status=200):
    context = {
        "store": request.store, "responses": canned.canned_responses_of(request.store),
        "form": form or CannedResponseForm(), "can_manage": Role.at_least(request.store_role, Role.ADMIN),
    }  # fmt: skip
    return render(request, "conversations/canned.html", context, status=status)


@store_route(role=Role.ADMIN, read_role=Role.AGENT)
def canned_responses(request, store_slug):
    if request.method != "POST":
        return _canned_page(request)
    form = CannedResponseForm(request.POST)
    if form.is_valid():
        try:
            canned.create_canned_response(request.store, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"/{form.cleaned_data['shortcut'].lstrip('/').lower()} added.")
            return redirect("canned_responses", store_slug)
    return _canned_page(request, form, status=400)


@require_POST
@store_route(role=Role.ADMIN)
def canned_response_edit(request, store_slug, canned_id):
    response = queries.access_canned_response(request.store, canned_id)
    form = CannedResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a shortcut and the reply's text.")
        return redirect("canned_responses", store_slug)
    try:
        canned.update_canned_response(response, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"/{response.shortcut} saved.")
    return redirect("canned_responses", store_slug)


@require_POST
@store_route(role=Role.ADMIN)
def canned_response_delete(request, store_slug, canned_id):
    response = queries.access_canned_response(request.store, canned_id)
    canned.delete_canned_response(response)
    messages.success(request, f"/{response.shortcut} deleted.")
    return redirect("canned_responses", store_slug)
