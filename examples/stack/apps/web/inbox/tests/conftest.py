from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

TEST_KEY = "test-intake-key"


@pytest.fixture(autouse=True)
def intake_key() -> Iterator[str]:
    with override_settings(INTAKE_API_KEY=TEST_KEY):
        yield TEST_KEY


@pytest.fixture
def valid_submission() -> dict[str, Any]:
    return {
        "client": "coffee-shop",
        "channel": "form",
        "name": "Ada Lovelace",
        "email": "Ada@Example.com",
        "message": "Do you roast decaf beans?",
        "payload": {"name": "Ada Lovelace", "newsletter": "yes"},
    }


def post_json(client: Client, data: object, key: str | None = TEST_KEY) -> Any:
    headers = {"X-Intake-Key": key} if key is not None else {}
    return client.post("/api/intake/", data=data, content_type="application/json", headers=headers)
