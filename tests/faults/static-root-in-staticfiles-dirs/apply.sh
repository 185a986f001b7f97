#!/bin/sh
# STATICFILES_DIRS lists STATIC_ROOT itself, which Django's system check rejects (staticfiles.E002).
set -eu
sed -i 's/^STATIC_ROOT = REPO_ROOT \/ "staticfiles"$/STATIC_ROOT = REPO_ROOT \/ "staticfiles"\nSTATICFILES_DIRS = [STATIC_ROOT]/' apps/web/config/settings.py
grep -q '^STATICFILES_DIRS = \[STATIC_ROOT\]$' apps/web/config/settings.py
