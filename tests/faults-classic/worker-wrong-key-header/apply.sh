#!/bin/sh
# The worker sends the intake key under another header name. Its unit tests cover the form
# validation only and the bundle builds; the backend refuses the post (403) and the worker
# answers 502.
set -eu
sed -i 's/"X-Intake-Key": env.INTAKE_API_KEY/"X-Api-Key": env.INTAKE_API_KEY/' workers/contact-form/src/index.js
grep -q '"X-Api-Key": env.INTAKE_API_KEY' workers/contact-form/src/index.js
