"""Dashboard pages for the store's shop connection, and Shopify's OAuth callback.

``StoreScopeMiddleware`` has checked membership and role for every ``/s/<store_slug>/`` view; the
callback is public (Shopify redirects the owner's browser to one fixed address) and trusts only the
HMAC Shopify signed, the state nonce kept in that browser's session, and the user's role in the store.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from integrations import services
from integrations.forms import ShopifyInstallForm, ShopifyTokenForm, SyncForm, WooCommerceForm
from integrations.queries import get_connection, mirror_counts
from tenants.models import Role, Store
from tenants.scoping import store_route
from tenants.services import role_of
from tenants.views import add_form_errors

INSTALL_KEY = "shopify_install"


def _page(request, status=200, **forms):
    store = request.store
    context = {
        "store": store,
        "connection": get_connection(store),
        "counts": mirror_counts(store),
        "token_form": forms.get("token_form") or ShopifyTokenForm(),
        "install_form": forms.get("install_form") or ShopifyInstallForm(),
        "woo_form": forms.get("woo_form") or WooCommerceForm(),
        "sync_form": SyncForm(),
    }
    return render(request, "integrations/shop.html", context, status=status)


@store_route(role=Role.ADMIN)
def shop(request, store_slug):
    return _page(request)


def _connect(request, form, connect, form_name: str):
    """Check the form, connect through ``connect``; field errors go back on the page with a 400."""
    if form.is_valid():
        try:
            connection = connect(request.store, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return _connected(request, connection)
    return _page(request, status=400, **{form_name: form})


@require_POST
@store_route(role=Role.ADMIN)
def shop_connect(request, store_slug):
    return _connect(request, ShopifyTokenForm(request.POST), services.connect_shopify, "token_form")


@require_POST
@store_route(role=Role.ADMIN)
def shop_connect_woocommerce(request, store_slug):
    return _connect(request, WooCommerceForm(request.POST), services.connect_woocommerce, "woo_form")


@require_POST
@store_route(role=Role.ADMIN)
def shop_install(request, store_slug):
    form = ShopifyInstallForm(request.POST)
    if form.is_valid():
        try:
            shop, state, url = services.begin_shopify_install(
                form.cleaned_data["shop"], redirect_uri=settings.PUBLIC_URL + reverse("shopify_callback")
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            request.session[INSTALL_KEY] = {"state": state, "store": request.store.pk, "shop": shop}
            return redirect(url)
    return _page(request, status=400, install_form=form)


def shopify_callback(request):
    """Shopify sends the owner back here after they approve the app."""
    install = request.session.pop(INSTALL_KEY, None)
    store = Store.objects.filter(pk=(install or {}).get("store")).first()
    role = role_of(store, request.user) if store and request.user.is_authenticated else None
    if not install or role is None or not Role.at_least(role, Role.ADMIN):
        return _refuse(request, "This Shopify install was not started from your dashboard. Start it there again.")
    params = dict(request.GET.items())
    if params.get("shop") != install["shop"]:
        return _refuse(request, "Shopify answered for a different shop than the one you asked to connect.")
    try:
        connection = services.finish_shopify_install(store, params=params, expected_state=install["state"])
    except ValidationError as exc:
        return _refuse(request, " ".join(exc.messages))
    return _connected(request, connection)


def _connected(request, connection):
    name = connection.shop_name or connection.shop
    messages.success(request, f"Connected to {name}. The first sync has started.")
    return redirect("shop", store_slug=connection.store.slug)


def _refuse(request, message: str):
    return render(request, "error.html", {"status": 400, "message": message}, status=400)


@require_POST
@store_route(role=Role.ADMIN)
def shop_sync(request, store_slug):
    connection = get_connection(request.store)
    form = SyncForm(request.POST)
    full = form.is_valid() and form.cleaned_data["full"]
    try:
        if connection is None:
            raise ValidationError("Connect the store to its shop first.")
        services.request_sync(connection, full=full)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "A full sync has started." if full else "A sync has started.")
    return redirect("shop", store_slug=store_slug)


@require_POST
@store_route(role=Role.ADMIN)
def shop_disconnect(request, store_slug):
    if services.disconnect_store(request.store):
        messages.success(
            request, "Disconnected and the credentials deleted. The mirror stays until you connect another shop."
        )
    return redirect("shop", store_slug=store_slug)
