import hmac
import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .forms import MessageForm

logger = logging.getLogger(__name__)


def _has_valid_key(request):
    expected = settings.INTAKE_API_KEY
    provided = request.headers.get("X-Intake-Key", "")
    return bool(expected) and hmac.compare_digest(provided.encode(), expected.encode())


@csrf_exempt
@require_POST
def intake(request):
    """Store a message forwarded by the contact-form worker.

    The worker posts JSON ({"name", "email", "message"}); uploads with an attachment
    come as multipart form data. Either way the X-Intake-Key header must match.
    """
    if not _has_valid_key(request):
        return JsonResponse({"error": "invalid intake key"}, status=403)

    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            return JsonResponse({"error": "invalid JSON"}, status=400)
        if not isinstance(data, dict):
            return JsonResponse({"error": "expected a JSON object"}, status=400)
        form = MessageForm(data)
    else:
        form = MessageForm(request.POST, request.FILES)

    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)

    message = form.save()
    logger.info("Stored contact message %s", message.pk)
    return JsonResponse({"id": message.pk}, status=201)
