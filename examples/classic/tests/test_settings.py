"""Settings for `manage.py test` (manage.py picks them when it runs the tests).

The test database is SQLite in memory and migrations are not run: the tables are created
straight from the models, which keeps the suite fast.
"""

from classic.settings import *  # noqa: F401,F403


class DisableMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
    }
}

MIGRATION_MODULES = DisableMigrations()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

INTAKE_API_KEY = "test-intake-key"
