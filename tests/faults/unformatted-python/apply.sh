#!/bin/sh
# Hand-written spacing that ruff format would rewrite; no lint rule in the selection flags it.
set -eu
sed -i 's/    def __str__(self) -> str:/    def __str__( self )->str :/' apps/web/inbox/models.py
grep -q '__str__( self )->str :' apps/web/inbox/models.py
