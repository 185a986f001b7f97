"""Per-client limits shared by every web process, counted in the cache (Redis)."""

from django.core.cache import cache


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Counts one attempt for `key` in the current window; False once `limit` is passed.

    The counter lives in the shared cache so that every gunicorn worker and every
    instance sees the same count: `add` starts a window only when there is none, and
    `incr` is atomic in Redis.
    """
    bucket = f"throttle:{key}"
    cache.add(bucket, 0, timeout=window_seconds)
    return cache.incr(bucket) <= limit
