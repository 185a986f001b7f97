#!/bin/sh
# The intake view creates the row inside a transaction it then rolls back: the API still
# answers 201 with a fresh id, but nothing is ever stored.
set -eu
patch --quiet --forward -p1 < "$(dirname "$0")/views.patch"
