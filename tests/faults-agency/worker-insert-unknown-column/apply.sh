#!/bin/sh
# The worker's INSERT names a column the leads table does not have. tsc, the bundle and the unit
# tests (which fake the driver) cannot know; Postgres refuses the row and the worker answers 500.
set -eu
sed -i 's/    INSERT INTO leads_submission (site, name, email, phone, message)/    INSERT INTO leads_submission (site, name, email, phone_number, message)/' workers/intake/src/store.ts
grep -q '(site, name, email, phone_number, message)' workers/intake/src/store.ts
