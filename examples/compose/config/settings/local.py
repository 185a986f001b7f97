from .base import *  # noqa: F403
from .base import env

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = True
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="local-only-Xk2m9PqRtV7wLz4nB8cD1eF6gH3jK5",
)
ALLOWED_HOSTS = ["localhost", "0.0.0.0", "127.0.0.1", "django"]
