#!/bin/sh
# The admin's columns written with single quotes: valid for flake8 and isort, black would
# rewrite them with double quotes.
set -eu
sed -i "s/    list_display = (\"name\", \"email\", \"created_at\", \"handled\")/    list_display = ('name', 'email', 'created_at', 'handled')/" contact/admin.py
grep -q "    list_display = ('name', 'email', 'created_at', 'handled')" contact/admin.py
