"""The DRF base classes every store-scoped API view inherits. Their scoping cannot be overridden."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import viewsets
from rest_framework.views import APIView

from tenants.models import Role


class StoreScoped:
    """Roles for ``StoreScopeMiddleware`` and the store the request was scoped to."""

    required_role: str = Role.ADMIN  # for changes
    read_role: str | None = None  # for GET/HEAD/OPTIONS; defaults to required_role
    action_roles: dict[str, str] = {}  # per viewset action or APIView method name, overriding both

    @property
    def store(self):
        store = getattr(self.request, "store", None)
        if store is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must be routed under /api/v1/s/<store_slug>/.")
        return store

    def actor(self):
        """The user acting, or None for an API key."""
        return None if getattr(self.request, "api_key", None) else self.request.user


class StoreScopedAPIView(StoreScoped, APIView):
    """For endpoints about the store itself; read ``self.store``."""


class StoreScopedViewSet(StoreScoped, viewsets.GenericViewSet):
    """Lists and looks up only the request's store's rows, so another store's id answers 404.

    Narrow the rows with ``narrow_queryset``; overriding ``get_queryset`` is refused at import time.
    The one escape hatch, for a reviewed exception, is ``TENANCY_REVIEWED_GET_QUERYSET = "why"``.
    """

    lookup_value_regex = r"[0-9]+"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in vars(cls) and not vars(cls).get("TENANCY_REVIEWED_GET_QUERYSET"):
            raise TypeError(
                f"{cls.__name__} overrides get_queryset, which would bypass store scoping; "
                "override narrow_queryset instead."
            )

    def narrow_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        return self.narrow_queryset(self.queryset.all()).filter(store=self.store)
