"""API-key authentication for DRF: ``Authorization: Bearer sbk_…``. A key reaches only its own store."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from tenants.services import authenticate_api_key


class ApiKeyPrincipal:
    """Stands in for ``request.user`` when a script calls with an API key."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = id = None

    def __init__(self, key):
        self.key = key
        self.display_name = f"API key “{key.name}”"

    def __str__(self):
        return self.display_name


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith(f"{self.keyword} "):
            return None
        # The scope middleware has already resolved the key on store routes; reuse its answer.
        key = getattr(request._request, "api_key", None) or authenticate_api_key(header.split(" ", 1)[1].strip())
        if key is None:
            raise AuthenticationFailed("Invalid or revoked API key.")
        return ApiKeyPrincipal(key), key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.api_auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A store API key, created in the store's settings."}
