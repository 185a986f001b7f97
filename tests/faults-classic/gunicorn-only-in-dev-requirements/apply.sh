#!/bin/sh
# gunicorn moves from requirements.txt to requirements-dev.txt. The tools run with the dev
# requirements and pass; the image installs requirements.txt only, so its CMD (exec gunicorn …)
# cannot start: the backend never answers and the worker cannot forward the form.
set -eu
grep -q '^gunicorn==' requirements.txt
line=$(grep '^gunicorn==' requirements.txt)
sed -i '/^gunicorn==/d' requirements.txt
sed -i "s/^isort==/$line\n&/" requirements-dev.txt
if grep -q '^gunicorn' requirements.txt; then exit 1; fi
grep -q '^gunicorn==' requirements-dev.txt
