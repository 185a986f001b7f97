#!/bin/sh
# A misspelt ruff option and a mypy plugin that is not installed: ruff and mypy stop at their configuration.
set -eu
sed -i 's/^line-length = 100$/line-lenght = 100/' pyproject.toml
sed -i 's/^plugins = \["mypy_django_plugin.main"\]$/plugins = ["mypy_django_plugin.main", "not_a_plugin.main"]/' pyproject.toml
grep -q '^line-lenght = 100$' pyproject.toml
grep -q 'not_a_plugin.main' pyproject.toml
