#!/bin/sh
# A half-typed helper left in a module nothing imports yet: the app runs, but black and flake8 cannot parse it.
set -eu
printf 'def broken(:\n    pass\n' > contact/broken.py
grep -q '^def broken(:$' contact/broken.py
