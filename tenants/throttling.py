"""API rate limits per caller: a user, or an API key (which has no user of its own)."""

from rest_framework.throttling import UserRateThrottle


class CallerRateThrottle(UserRateThrottle):
    def get_cache_key(self, request, view):
        key = getattr(request._request, "api_key", None) or getattr(request, "auth", None)
        if key is not None and hasattr(key, "key_hash"):
            return self.cache_format % {"scope": self.scope, "ident": f"key-{key.pk}"}
        return super().get_cache_key(request, view)
