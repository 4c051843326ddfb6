"""Dashboard pages: the store's outbound webhook endpoints with their last deliveries, and privacy requests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from integrations import outbound, privacy_requests
from integrations.forms import EndpointForm, PrivacyForm
from integrations.queries import access_endpoint, endpoints_with_deliveries, privacy_log
from tenants.models import Role
from tenants.scoping import store_route
from tenants.views import add_form_errors


@store_route(role=Role.ADMIN)
def webhooks(request, store_slug):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = outbound.create_endpoint(request.store, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"Endpoint added. Its signing secret (shown once): {endpoint.secret}")
            return redirect("webhooks", store_slug=store_slug)
    context = {"store": request.store, "form": form, "endpoints": endpoints_with_deliveries(request.store)}
    return render(request, "integrations/webhooks.html", context, status=400 if form.errors else 200)


@require_POST
@store_route(role=Role.ADMIN)
def webhook_delete(request, store_slug, endpoint_id):
    outbound.delete_endpoint(access_endpoint(request.store, endpoint_id))
    messages.success(request, "Endpoint removed.")
    return redirect("webhooks", store_slug=store_slug)


@store_route(role=Role.OWNER)
def privacy(request, store_slug):
    form = PrivacyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = privacy_requests.request_from_owner(request.store, requested_by=request.user.email,
                                                       **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"{done.get_kind_display()}: done. It is in the log below.")
            return redirect("privacy", store_slug=store_slug)
    context = {"store": request.store, "form": form, "requests": privacy_log(request.store)}
    return render(request, "integrations/privacy.html", context, status=400 if form.errors else 200)
