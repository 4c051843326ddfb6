"""Dashboard pages for flows: the list (create from a template, duplicate, import), the builder, and the page
the builder's preview panel frames (the real widget, pointed at the preview socket)."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from flows import services
from flows.models import Flow
from flows.queries import access_flow
from flows.starters import starter_templates
from tenants.models import Role
from tenants.scoping import store_route

MAX_IMPORT_BYTES = 1024 * 1024


class NewFlowForm(forms.Form):
    template = forms.ChoiceField(label="Start from")
    name = forms.CharField(max_length=100, required=False, help_text="Leave empty to use the template's name.")

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t["key"], t["name"]) for t in templates]


class ImportForm(forms.Form):
    file = forms.FileField(label="Flow file (.json)")


def _flow_list(request, status=200, **forms_):
    store = request.store
    templates = starter_templates(store)
    context = {
        "store": store, "templates": templates,
        "flows": Flow.objects.filter(store=store).select_related("published_version", "draft_updated_by"),
        "new_form": forms_.get("new_form") or NewFlowForm(templates=templates),
        "import_form": forms_.get("import_form") or ImportForm(),
    }  # fmt: skip
    return render(request, "flows/flow_list.html", context, status=status)


@store_route(role=Role.ADMIN)
def flow_list(request, store_slug):
    return _flow_list(request)


@require_POST
@store_route(role=Role.ADMIN)
def flow_create(request, store_slug):
    form = NewFlowForm(request.POST, templates=starter_templates(request.store))
    if form.is_valid():
        try:
            flow = services.create_flow_from_template(
                request.store, form.cleaned_data["template"], name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            return redirect("flow_builder", store_slug, flow.pk)
    return _flow_list(request, status=400, new_form=form)


@require_POST
@store_route(role=Role.ADMIN)
def flow_duplicate(request, store_slug, flow_id):
    copy = services.duplicate_flow(access_flow(request.store, flow_id), by=request.user)
    messages.success(request, f"“{copy.name}” is a copy; it is not published until you publish it.")
    return redirect("flow_builder", store_slug, copy.pk)


@require_POST
@store_route(role=Role.ADMIN)
def flow_import(request, store_slug):
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise ValidationError("The file is larger than 1 MB; a flow file is much smaller.")
            try:
                data = json.loads(upload.read().decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise ValidationError("This file is not valid JSON: choose a file exported from a flow.") from None
            flow = services.import_flow(request.store, data, by=request.user)
        except ValidationError as exc:
            for message in exc.messages[:8]:
                form.add_error("file", message)
        else:
            messages.success(request, f"Imported “{flow.name}”.")
            return redirect("flow_builder", store_slug, flow.pk)
    return _flow_list(request, status=400, import_form=form)


@store_route(role=Role.ADMIN)
def flow_builder(request, store_slug, flow_id):
    flow = access_flow(request.store, flow_id)
    return render(request, "flows/builder.html", {"store": request.store, "flow": flow})


@xframe_options_sameorigin
@store_route(role=Role.ADMIN)
def flow_preview_frame(request, store_slug, flow_id):
    """The real widget inside the builder, talking to ``/ws/preview/<flow id>/`` with the chosen context."""
    flow = access_flow(request.store, flow_id)
    query = request.GET.urlencode()
    socket_path = f"/ws/preview/{flow.pk}/" + (f"?{query}" if query else "")
    context = {"store": request.store, "flow": flow, "socket_path": socket_path}
    return render(request, "flows/preview_frame.html", context)
