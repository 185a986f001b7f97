#!/bin/sh
# The test modules were deleted (the packages, and the test settings manage.py picks, stay):
# `manage.py test` finds nothing and exits 0.
set -eu
rm contact/tests/test_*.py tests/test_health.py
! ls contact/tests/test_*.py tests/test_health.py 2>/dev/null
