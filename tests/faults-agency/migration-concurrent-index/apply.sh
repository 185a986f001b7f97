#!/bin/sh
# A hand-written migration builds an index CONCURRENTLY, which Postgres refuses inside the
# transaction Django wraps each migration in. makemigrations sees no change (RunSQL has no model
# state); applying it fails: the test database cannot be created and the deploy must stop.
set -eu
cat > apps/web/leads/migrations/0002_submission_email_lower_idx.py <<'PY'
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX CONCURRENTLY leads_submission_email_lower_idx "
                "ON leads_submission (lower(email))"
            ),
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS leads_submission_email_lower_idx",
        ),
    ]
PY
test -f apps/web/leads/migrations/0002_submission_email_lower_idx.py
