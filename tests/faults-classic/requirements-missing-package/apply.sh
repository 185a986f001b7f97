#!/bin/sh
# python-magic is dropped from the requirements while contact/validators.py still imports
# magic. Every environment installed from the requirements lacks it: Django cannot load the
# contact app (models import the validator), so the image's collectstatic step, the tests,
# the system check and makemigrations all stop with ModuleNotFoundError.
set -eu
grep -q '^python-magic==' requirements.txt
sed -i '/^python-magic==/d' requirements.txt
if grep -qi '^python-magic' requirements.txt; then exit 1; fi
grep -q '^import magic$' contact/validators.py
