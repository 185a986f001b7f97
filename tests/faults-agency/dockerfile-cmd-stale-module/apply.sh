#!/bin/sh
# The image's CMD still names the project's old package (agency.wsgi): the image builds, Django
# sets up and migrations run, but gunicorn cannot load the application and exits.
set -eu
sed -i 's/"gunicorn", "config.wsgi:application"/"gunicorn", "agency.wsgi:application"/' apps/web/Dockerfile
grep -q '"agency.wsgi:application"' apps/web/Dockerfile
