#!/bin/sh
# The only test module was deleted: pytest collects nothing and exits 5.
set -eu
rm notes/tests/test_views.py
! test -e notes/tests/test_views.py
