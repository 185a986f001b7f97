import json

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db import connection
from django.http import HttpRequest
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from .models import Order
from .models import Product
from .throttle import allow


def client_of(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "unknown")


@csrf_exempt
@require_POST
def place_order(request: HttpRequest) -> JsonResponse:
    if not allow(f"orders:{client_of(request)}", settings.ORDER_LIMIT, settings.ORDER_WINDOW_SECONDS):
        return JsonResponse({"error": "too many orders, try again later"}, status=429)
    try:
        body = json.loads(request.body or b"{}")
        product = Product.objects.get(sku=body["sku"])
        quantity = int(body.get("quantity", 1))
        email = str(body["email"])
    except (ValueError, KeyError, Product.DoesNotExist):
        return JsonResponse({"error": "expected sku, email and an optional quantity"}, status=400)
    order = Order.objects.create(product=product, quantity=quantity, email=email)
    return JsonResponse({"id": order.pk}, status=201)


@require_GET
def ping(request: HttpRequest) -> JsonResponse:
    """What the load balancer's healthcheck asks: the database and the cache answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {error.__class__.__name__}"
    try:
        cache.set("ops:ping", "pong", timeout=5)
        checks["cache"] = "ok" if cache.get("ops:ping") == "pong" else "unavailable"
    except Exception as error:  # noqa: BLE001 - any cache client error means unavailable
        checks["cache"] = f"unavailable: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
