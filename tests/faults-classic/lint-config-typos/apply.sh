#!/bin/sh
# Typos in the linters' own configuration: flake8 and isort crash before they look at any code.
set -eu
sed -i 's/^max-line-length = 88$/max-line-length = eighty/' setup.cfg
sed -i 's/^profile = "black"$/profile = "classic"/' pyproject.toml
grep -q '^max-line-length = eighty$' setup.cfg
grep -q '^profile = "classic"$' pyproject.toml
