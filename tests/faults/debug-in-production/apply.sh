#!/bin/sh
# The settings turn DEBUG on whatever the environment says, and the project fails its deployment
# checklist on warnings: Django's check --deploy warns (security.W018), which now fails.
set -eu
sed -i 's/^DEBUG = env_flag("DEBUG")$/DEBUG = True/' apps/web/config/settings.py
grep -q '^DEBUG = True$' apps/web/config/settings.py
printf '{\n  "backend": { "deployCheckFailLevel": "WARNING" }\n}\n' > predeploy.json
