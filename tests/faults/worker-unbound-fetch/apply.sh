#!/bin/sh
# The worker passes the global fetch unwrapped; workerd then throws "Illegal invocation" on every
# form post (500), while tsc, the bundle and the unit tests (which inject their own fetch) pass.
set -eu
sed -i 's/^  fetch: (input, init) => fetch(input, init),$/  fetch,/' workers/intake/src/index.ts
grep -q '^  fetch,$' workers/intake/src/index.ts
