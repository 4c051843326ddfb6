"""Dashboard pages under /s/<store_slug>/: the store's home, settings, team and API keys.

``StoreScopeMiddleware`` has already checked membership and the role each view declares with
``store_route``; views read ``request.store`` and call one service each.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tenants import services
from tenants.forms import ApiKeyForm, DeleteStoreForm, InviteForm, RoleForm, StoreSettingsForm
from tenants.models import ApiKey, Invitation, Membership, Role
from tenants.queries import access_api_key, access_invitation, access_membership
from tenants.scoping import store_route
from tenants.views import add_form_errors


def _back(request, name):
    return redirect(name, store_slug=request.store.slug)


@store_route(role=Role.AGENT)
def store_home(request, store_slug):
    request.session["store_slug"] = request.store.slug
    return render(request, "tenants/store_home.html", {"store": request.store})


@store_route(role=Role.ADMIN)
def store_settings(request, store_slug):
    store = request.store
    form = StoreSettingsForm(request.POST or None, request.FILES or None, instance=store)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in [*StoreSettingsForm.Meta.fields, "allowed_origins"]}
        try:
            store = services.update_store_settings(store, **data)
            if form.cleaned_data["remove_avatar"]:
                services.set_store_avatar(store, None)
            elif form.cleaned_data["avatar"]:
                services.set_store_avatar(store, form.cleaned_data["avatar"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("store_settings", store_slug=store.slug)
    return render(request, "tenants/store_settings.html", {"store": store, "form": form})


@require_POST
@store_route(role=Role.ADMIN)
def store_public_key_regenerate(request, store_slug):
    services.regenerate_public_key(request.store)
    messages.success(request, "New widget key issued. Update the snippet on your site.")
    return _back(request, "store_settings")


@require_POST
@store_route(role=Role.ADMIN)
def store_identity_secret_regenerate(request, store_slug):
    secret = services.regenerate_identity_secret(request.store)
    return render(request, "tenants/identity_secret.html", {"store": request.store, "secret": secret})


@store_route(role=Role.OWNER)
def store_delete(request, store_slug):
    form = DeleteStoreForm(request.POST or None, store=request.store)
    if request.method == "POST" and form.is_valid():
        name = request.store.name
        services.delete_store(request.store, by=request.user)
        request.session.pop("store_slug", None)
        messages.success(request, f"{name} and all its data have been deleted.")
        return redirect("home")
    return render(request, "tenants/store_delete.html", {"store": request.store, "form": form})


@store_route(role=Role.ADMIN, read_role=Role.AGENT)
def team(request, store_slug):
    store = request.store
    context = {
        "store": store,
        "members": Membership.objects.filter(store=store).select_related("user"),
        "invitations": Invitation.objects.filter(store=store, accepted_at__isnull=True),
        "invite_form": InviteForm(),
        "roles": Role.choices,
        "can_manage": Role.at_least(request.store_role, Role.ADMIN),
    }
    return render(request, "tenants/team.html", context)


def _team_action(request, action, success) -> HttpResponseRedirect:
    """Run a team service; say what happened (or why not) on the team page."""
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success(result))
    return _back(request, "team")


@require_POST
@store_route(role=Role.ADMIN)
def team_invite(request, store_slug):
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, "team")
    return _team_action(
        request,
        lambda: services.invite_member(request.store, invited_by=request.user, **form.cleaned_data)[0],
        lambda invitation: f"Invitation sent to {invitation.email}.",
    )


@require_POST
@store_route(role=Role.ADMIN)
def team_member_role(request, store_slug, member_id):
    membership = access_membership(request.store, member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return _back(request, "team")
    return _team_action(
        request,
        lambda: services.change_member_role(request.store, membership, role=form.cleaned_data["role"], by=request.user),
        lambda changed: f"{changed.user.display_name} is now {changed.get_role_display().lower()}.",
    )


@require_POST
@store_route(role=Role.ADMIN)
def team_member_remove(request, store_slug, member_id):
    membership = access_membership(request.store, member_id)
    return _team_action(
        request,
        lambda: services.remove_member(request.store, membership, by=request.user),
        lambda _: f"{membership.user.display_name} was removed and signed out.",
    )


@require_POST
@store_route(role=Role.ADMIN)
def team_invitation_revoke(request, store_slug, invitation_id):
    invitation = access_invitation(request.store, invitation_id)
    services.revoke_invitation(invitation)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return _back(request, "team")


@require_POST
@store_route(role=Role.AGENT)
def store_leave(request, store_slug):
    membership = Membership.objects.get(store=request.store, user=request.user)
    try:
        services.remove_member(request.store, membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, "team")
    request.session.pop("store_slug", None)
    messages.success(request, f"You left {request.store.name}.")
    return redirect("home")


@store_route(role=Role.ADMIN)
def api_keys(request, store_slug):
    keys = ApiKey.objects.filter(store=request.store).select_related("created_by")
    return render(request, "tenants/api_keys.html", {"store": request.store, "keys": keys, "form": ApiKeyForm()})


@require_POST
@store_route(role=Role.ADMIN)
def api_key_create(request, store_slug):
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            key, plain = services.create_api_key(request.store, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return render(request, "tenants/api_key_created.html", {"store": request.store, "key": key, "plain": plain})
    keys = ApiKey.objects.filter(store=request.store)
    return render(request, "tenants/api_keys.html", {"store": request.store, "keys": keys, "form": form}, status=400)


@require_POST
@store_route(role=Role.ADMIN)
def api_key_revoke(request, store_slug, api_key_id):
    key = services.revoke_api_key(access_api_key(request.store, api_key_id))
    messages.success(request, f"{key.name} was revoked.")
    return _back(request, "api_keys")
