import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "down"; report its kind, not its details
        return type(exc).__name__
    return None


def _check_redis() -> str | None:
    if not settings.REDIS_URL:
        return None  # the demo runs without Redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except Exception as exc:
        return type(exc).__name__
    return None


@never_cache
def healthz(request):
    """200 when the database and Redis answer; 503 naming what is down."""
    checks = {"database": _check_database(), "redis": _check_redis()}
    body = {name: ("ok" if error is None else f"down ({error})") for name, error in checks.items()}
    if not settings.REDIS_URL:
        body["redis"] = "not used (demo)"
    healthy = all(error is None for error in checks.values())
    body["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(body, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "error.html", {"status": 404, "message": "This page does not exist."}, status=404)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "You cannot do this."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "error.html", {"status": 403, "message": message}, status=403)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side. Try again shortly."}, status=500)
    return render(request, "error.html", {"status": 500, "message": "Something went wrong on our side."}, status=500)


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return render(request, "error.html", {"status": 400, "message": "The request could not be understood."}, status=400)
