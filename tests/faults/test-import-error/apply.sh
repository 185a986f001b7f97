#!/bin/sh
# A test module imports a constant under a name the module does not define.
set -eu
sed -i 's/MESSAGE_MAX/MAX_MESSAGE_LENGTH/g' apps/web/inbox/tests/test_validation.py
grep -q 'import MAX_MESSAGE_LENGTH' apps/web/inbox/tests/test_validation.py
