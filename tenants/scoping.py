"""The one place where a request's store, membership and role are resolved and checked.

Every route with a ``store_slug`` kwarg passes through ``StoreScopeMiddleware``. It finds who is asking
(a session user, or an API key for ``/api/`` requests), their role in that store, and compares it with the
role the view declares. A store the caller is not in answers 404, exactly like a store that does not
exist. Views then read ``request.store``; nothing else looks up membership.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, JsonResponse
from django.shortcuts import render

from tenants.models import Membership, Role
from tenants.services import authenticate_api_key

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def store_route(*, role: str, read_role: str | None = None):
    """Declare who may use a dashboard view: ``role`` for changes, ``read_role`` (default ``role``) to look."""

    def mark(view):
        view.store_role = role
        view.store_read_role = read_role or role
        return view

    return mark


def required_role(view_func, method: str) -> str:
    """The role a view demands for ``method``; fails closed if the view declares none."""
    cls = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    if cls is not None and hasattr(cls, "required_role"):
        # A viewset's roles are keyed by action ("destroy"); a plain APIView's by method ("delete").
        actions = getattr(view_func, "actions", None)
        action = actions.get(method.lower()) if actions else method.lower()
        if action in getattr(cls, "action_roles", {}):
            return cls.action_roles[action]
        if method in SAFE_METHODS:
            return cls.read_role or cls.required_role
        return cls.required_role
    if hasattr(view_func, "store_role"):
        return view_func.store_read_role if method in SAFE_METHODS else view_func.store_role
    raise ImproperlyConfigured(f"{view_func.__module__}.{view_func.__name__} takes a store but declares no role.")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _refuse(request, status: int, message: str):
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    if status == 404:
        raise Http404(message)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


class StoreScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("store_slug")
        if slug is None:
            return None
        request.store = request.store_role = request.api_key = None
        auth = request.headers.get("Authorization", "")
        if _is_api(request) and auth.startswith("Bearer "):
            key = authenticate_api_key(auth.removeprefix("Bearer ").strip())
            if key is None:
                return _refuse(request, 401, "Invalid or revoked API key.")
            if key.store.slug != slug:
                return _refuse(request, 404, "Not found.")
            store, role = key.store, key.role
            request.api_key = key
        else:
            if not request.user.is_authenticated:
                if _is_api(request):
                    return _refuse(request, 401, "Log in or send an API key (Authorization: Bearer …).")
                return redirect_to_login(request.get_full_path())
            membership = Membership.objects.select_related("store").filter(user=request.user, store__slug=slug).first()
            if membership is None:
                return _refuse(request, 404, "Not found.")
            store, role = membership.store, membership.role
        needed = required_role(view_func, request.method)
        if not Role.at_least(role, needed):
            who = {Role.OWNER: "an owner", Role.ADMIN: "an owner or admin"}.get(needed, "a team member")
            return _refuse(request, 403, f"Only {who} of this store can do this.")
        request.store, request.store_role = store, role
        return None
