#!/bin/sh
# A data migration that reads a table no migration creates: every database it is applied to fails.
set -eu
cat > shop/migrations/0002_backfill_totals.py <<'PY'
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL("UPDATE shop_order SET quantity = quantity FROM shop_legacy_totals WHERE shop_legacy_totals.id = shop_order.id"),
    ]
PY
