"""Public receivers for the shop platforms' webhooks. The signature on the raw body is the only credential."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations import webhooks

MAX_BODY = 2 * 1024 * 1024  # Shopify and WooCommerce bodies are far smaller; anything larger is refused


def _answer(outcome: webhooks.Outcome) -> JsonResponse:
    return JsonResponse({"detail": outcome.message}, status=outcome.status)


def _too_large(request) -> bool:
    try:
        return int(request.headers.get("Content-Length") or 0) > MAX_BODY
    except ValueError:
        return True


@csrf_exempt
@require_POST
def shopify_webhook(request):
    if _too_large(request):
        return JsonResponse({"detail": "The body is too large."}, status=413)
    return _answer(webhooks.receive_shopify(request.headers, request.body))


@csrf_exempt
@require_POST
def woocommerce_webhook(request, connection_id: int):
    if _too_large(request):
        return JsonResponse({"detail": "The body is too large."}, status=413)
    return _answer(webhooks.receive_woocommerce(connection_id, request.headers, request.body))
