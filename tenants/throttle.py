"""Counting failures in the shared cache (Redis), so limits hold across every web process."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(bucket: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(p.lower() for p in parts).encode()).hexdigest()[:32]
    return f"throttle:{bucket}:{digest}"


def count(bucket: str, *parts: str) -> int:
    return cache.get(_key(bucket, *parts), 0)


def hit(bucket: str, *parts: str, window: int) -> int:
    """Count one more event in a fixed window that starts with the first one; returns the new count."""
    key = _key(bucket, *parts)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def reset(bucket: str, *parts: str) -> None:
    cache.delete(_key(bucket, *parts))


# Log-in: per account and address, per account from anywhere (slow distributed guessing), per address.
def _login_limits(email: str, ip: str):
    limit = settings.LOGIN_FAILURE_LIMIT
    return [(("login", email, ip), limit), (("login-account", email), limit * 4), (("login-ip", ip), limit * 10)]


def login_blocked(email: str, ip: str) -> bool:
    return any(count(*parts) >= limit for parts, limit in _login_limits(email, ip))


def record_login_failure(email: str, ip: str) -> None:
    for parts, _limit in _login_limits(email, ip):
        hit(*parts, window=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear_login_failures(email: str, ip: str) -> None:
    reset("login", email, ip)


def client_ip(request) -> str:
    """The client address. Behind a TLS proxy, the proxy's X-Forwarded-For (its last hop) is the client."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
