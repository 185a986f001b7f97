from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_health_reports_ok_after_a_database_round_trip(client: Client) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch(
        "apps.web.inbox.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/health")

    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_health_rejects_post(client: Client) -> None:
    assert client.post("/health").status_code == 405
