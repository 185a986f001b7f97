#!/bin/sh
# The WSGI module now refuses to start without a telemetry endpoint: gunicorn binds its port, its
# worker fails to boot, and gunicorn exits. Nothing else imports the WSGI module.
set -eu
cat > shop/telemetry.py <<'PY'
import os

ENDPOINT = os.environ.get("TELEMETRY_ENDPOINT")
if not ENDPOINT:
    raise RuntimeError("TELEMETRY_ENDPOINT is not set: refusing to serve without telemetry")
PY
printf '\nimport shop.telemetry  # noqa: E402,F401\n' >> config/wsgi.py
grep -q 'import shop.telemetry' config/wsgi.py
