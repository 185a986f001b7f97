#!/bin/sh
# A half-typed helper in a module nothing imports yet: Django and the tests never load it, the linters and mypy read it.
set -eu
printf 'def broken(:\n    pass\n' > apps/web/inbox/broken.py
grep -q '^def broken(:$' apps/web/inbox/broken.py
