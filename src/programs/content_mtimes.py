"""predeploy: sets each Python file's mtime from a hash of its contents (src/tools/tool-caches.ts).

mypy and ruff trust a cached result by mtime (and size or mode); equal mtimes then mean equal
contents, so two trees never read each other's results and edited files are checked afresh.
"""

import hashlib
import os
import sys

for root, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if d not in ("node_modules", ".git")]
    for name in files:
        path = os.path.join(root, name)
        if not name.endswith((".py", ".pyi", ".ipynb")) or os.path.islink(path):
            continue
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).digest()
        stamp = 1_000_000_000 + int.from_bytes(digest[:8], "big") % 1_000_000_000
        os.utime(path, (stamp, stamp))
