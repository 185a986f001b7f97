#!/bin/sh
# A phone number field is added to the message model, but nobody ran makemigrations. The tests
# do not notice: their settings disable migrations and build the tables from the models. On
# Postgres, migrated from the committed migrations, every INSERT names the missing column:
# the backend answers 500 and the worker 502.
set -eu
sed -i 's/^    email = models.EmailField()$/    email = models.EmailField()\n    phone = models.CharField(max_length=32, blank=True)/' contact/models.py
grep -q '^    phone = models.CharField(max_length=32, blank=True)$' contact/models.py
