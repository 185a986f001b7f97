#!/bin/sh
# The run stage no longer installs libpq5: the image builds (the wheels are there), Django sets
# up, but psycopg2 cannot load when the release step connects to the database.
set -eu
grep -q 'RUN RUN_DEPS="libpq5"' docker/production.Dockerfile
sed -i 's/RUN RUN_DEPS="libpq5"/RUN RUN_DEPS=""/' docker/production.Dockerfile
grep -q 'RUN RUN_DEPS=""' docker/production.Dockerfile
