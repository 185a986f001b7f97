from typing import Any

import pytest
from django.test import Client as HttpClient

from accounts.models import User
from factories import UserFactory


@pytest.fixture(autouse=True)
def _unhashed_static_files(settings: Any) -> None:
    # The manifest storage needs collectstatic's output; tests render pages without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def staff_user(db: None) -> User:
    user: User = UserFactory.create(role=User.Role.STAFF)
    return user


@pytest.fixture
def staff_client(staff_user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(staff_user)
    return client
