from typing import Any

import pytest

from apps.web.inbox.validation import MESSAGE_MAX, SubmissionInput, parse_submission


def test_valid_submission_is_cleaned(valid_submission: dict[str, Any]) -> None:
    parsed = parse_submission({**valid_submission, "name": "  Ada Lovelace  "})

    assert parsed == SubmissionInput(
        client="coffee-shop",
        channel="form",
        name="Ada Lovelace",
        email="ada@example.com",
        message="Do you roast decaf beans?",
        payload={"name": "Ada Lovelace", "newsletter": "yes"},
    )


def test_a_non_object_body_is_rejected() -> None:
    assert parse_submission(["client", "coffee-shop"]) == {"__all__": "Expected a JSON object."}


@pytest.mark.parametrize("field", ["client", "name", "email", "message"])
def test_required_fields(valid_submission: dict[str, Any], field: str) -> None:
    del valid_submission[field]

    assert parse_submission(valid_submission) == {field: "This field is required."}


def test_unknown_channel_is_rejected(valid_submission: dict[str, Any]) -> None:
    errors = parse_submission({**valid_submission, "channel": "fax"})

    assert isinstance(errors, dict)
    assert list(errors) == ["channel"]


def test_client_must_be_a_slug(valid_submission: dict[str, Any]) -> None:
    assert parse_submission({**valid_submission, "client": "coffee shop!"}) == {
        "client": "Enter a valid slug."
    }


def test_message_length_is_bounded(valid_submission: dict[str, Any]) -> None:
    errors = parse_submission({**valid_submission, "message": "x" * (MESSAGE_MAX + 1)})

    assert errors == {"message": f"Ensure this value has at most {MESSAGE_MAX} characters."}


def test_payload_must_be_an_object(valid_submission: dict[str, Any]) -> None:
    assert parse_submission({**valid_submission, "payload": "name=Ada"}) == {
        "payload": "Expected a JSON object."
    }
