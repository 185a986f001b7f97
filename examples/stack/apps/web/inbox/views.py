import hmac
import json
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.web.inbox.models import Submission
from apps.web.inbox.validation import SubmissionInput, parse_submission

logger = logging.getLogger(__name__)

API_KEY_HEADER = "X-Intake-Key"


def _has_valid_key(request: HttpRequest) -> bool:
    expected: str = settings.INTAKE_API_KEY
    given = request.headers.get(API_KEY_HEADER, "")
    # An unset key must not let an empty header through.
    if not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


# The intake API is called server to server by the worker with an API key, never by a
# browser with cookies, so CSRF protection does not apply.
@csrf_exempt
@require_POST
def intake(request: HttpRequest) -> JsonResponse:
    if not _has_valid_key(request):
        return JsonResponse({"error": "invalid or missing API key"}, status=401)
    if request.content_type != "application/json":
        return JsonResponse({"error": "expected application/json"}, status=400)
    try:
        data = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse({"error": "invalid JSON"}, status=400)

    parsed = parse_submission(data)
    if not isinstance(parsed, SubmissionInput):
        return JsonResponse({"error": "invalid submission", "fields": parsed}, status=400)

    submission = Submission.objects.create(
        client=parsed.client,
        channel=parsed.channel,
        name=parsed.name,
        email=parsed.email,
        message=parsed.message,
        payload=parsed.payload,
    )
    logger.info("intake: stored submission %s for %s", submission.pk, submission.client)
    return JsonResponse({"id": submission.pk}, status=201)
