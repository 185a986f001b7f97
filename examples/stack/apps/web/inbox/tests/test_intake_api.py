import json
from typing import Any

import pytest
from django.test import Client

from apps.web.inbox.models import Submission
from apps.web.inbox.tests.conftest import post_json

pytestmark = pytest.mark.django_db


def test_valid_submission_is_stored_and_its_id_returned(
    client: Client, valid_submission: dict[str, Any]
) -> None:
    response = post_json(client, valid_submission)

    assert response.status_code == 201
    stored = Submission.objects.get(pk=response.json()["id"])
    assert stored.client == "coffee-shop"
    assert stored.channel == Submission.Channel.FORM
    assert stored.name == "Ada Lovelace"
    assert stored.email == "ada@example.com"
    assert stored.payload == {"name": "Ada Lovelace", "newsletter": "yes"}


def test_missing_api_key_is_rejected(client: Client, valid_submission: dict[str, Any]) -> None:
    response = post_json(client, valid_submission, key=None)

    assert response.status_code == 401
    assert Submission.objects.count() == 0


def test_wrong_api_key_is_rejected(client: Client, valid_submission: dict[str, Any]) -> None:
    response = post_json(client, valid_submission, key="test-intake-kez")

    assert response.status_code == 401
    assert Submission.objects.count() == 0


def test_unset_server_key_refuses_even_an_empty_header(
    client: Client, valid_submission: dict[str, Any], settings: Any
) -> None:
    settings.INTAKE_API_KEY = ""

    response = post_json(client, valid_submission, key="")

    assert response.status_code == 401


def test_invalid_fields_are_reported_per_field(
    client: Client, valid_submission: dict[str, Any]
) -> None:
    response = post_json(client, {**valid_submission, "email": "not-an-email", "name": "  "})

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"email", "name"}
    assert Submission.objects.count() == 0


def test_malformed_json_is_a_bad_request(client: Client) -> None:
    response = client.post(
        "/api/intake/",
        data="{not json",
        content_type="application/json",
        headers={"X-Intake-Key": "test-intake-key"},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "invalid JSON"}


def test_form_encoded_body_is_refused(client: Client, valid_submission: dict[str, Any]) -> None:
    response = client.post(
        "/api/intake/",
        data={key: json.dumps(value) for key, value in valid_submission.items()},
        headers={"X-Intake-Key": "test-intake-key"},
    )

    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_get_is_not_allowed(client: Client) -> None:
    response = client.get("/api/intake/", headers={"X-Intake-Key": "test-intake-key"})

    assert response.status_code == 405
