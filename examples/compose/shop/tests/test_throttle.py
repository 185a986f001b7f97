import uuid

import pytest
from django.core.cache import caches

from shop.throttle import allow


@pytest.fixture
def key():
    return f"test-{uuid.uuid4()}"


def test_allows_up_to_the_limit_then_refuses(key):
    assert [allow(key, limit=3, window_seconds=60) for _ in range(5)] == [True, True, True, False, False]


def test_the_count_is_shared_by_every_connection_to_the_cache(key):
    assert allow(key, limit=2, window_seconds=60)
    # A second client of the same cache, as another gunicorn worker would have.
    other = caches.create_connection("default")
    assert other.get(f"throttle:{key}") == 1
    assert allow(key, limit=2, window_seconds=60)
    assert not allow(key, limit=2, window_seconds=60)


def test_separate_keys_are_counted_separately(key):
    for _ in range(3):
        allow(key, limit=3, window_seconds=60)
    assert allow(f"{key}-other", limit=3, window_seconds=60)
