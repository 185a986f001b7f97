#!/bin/sh
# headline() is annotated to return int while it returns the title: Python does not check
# annotations at run time, so the tests pass; only the type checker notices.
set -eu
sed -i 's/^def headline(note: Note) -> str:$/def headline(note: Note) -> int:/' notes/views.py
grep -q '^def headline(note: Note) -> int:$' notes/views.py
