#!/bin/sh
# An import nobody uses (pyflakes F401).
set -eu
sed -i 's/^import logging$/import logging\nimport os/' apps/web/inbox/views.py
grep -q '^import os$' apps/web/inbox/views.py
