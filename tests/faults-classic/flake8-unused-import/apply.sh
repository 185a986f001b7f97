#!/bin/sh
# An import nobody uses (pyflakes F401); isort and black still accept the file.
set -eu
sed -i '1s/^/import json\n\n/' contact/admin.py
sed -n 1p contact/admin.py | grep -q '^import json$'
