"""Validation of intake submissions, independent of HTTP so it can be tested on its own."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug

from apps.web.inbox.models import Submission

NAME_MAX = 120
MESSAGE_MAX = 5000
PAYLOAD_MAX_KEYS = 50


@dataclass(frozen=True)
class SubmissionInput:
    client: str
    channel: str
    name: str
    email: str
    message: str
    payload: dict[str, Any]


FieldErrors = dict[str, str]


def _text(data: dict[str, Any], key: str, errors: FieldErrors, max_length: int) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        errors[key] = "This field is required."
        return ""
    value = value.strip()
    if len(value) > max_length:
        errors[key] = f"Ensure this value has at most {max_length} characters."
    return value


def parse_submission(data: object) -> SubmissionInput | FieldErrors:
    """Return the cleaned submission, or field name → error message."""
    if not isinstance(data, dict):
        return {"__all__": "Expected a JSON object."}
    errors: FieldErrors = {}

    client = _text(data, "client", errors, 64)
    if client and "client" not in errors:
        try:
            validate_slug(client)
        except ValidationError:
            errors["client"] = "Enter a valid slug."

    channel = data.get("channel")
    if channel not in Submission.Channel.values:
        errors["channel"] = f"Expected one of: {', '.join(Submission.Channel.values)}."

    name = _text(data, "name", errors, NAME_MAX)
    email = _text(data, "email", errors, 254)
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter a valid email address."
    message = _text(data, "message", errors, MESSAGE_MAX)

    payload = data.get("payload", {})
    if not isinstance(payload, dict):
        errors["payload"] = "Expected a JSON object."
    elif len(payload) > PAYLOAD_MAX_KEYS:
        errors["payload"] = f"Expected at most {PAYLOAD_MAX_KEYS} keys."

    if errors:
        return errors
    return SubmissionInput(
        client=client,
        channel=str(channel),
        name=name,
        email=email.lower(),
        message=message,
        payload=payload,
    )
