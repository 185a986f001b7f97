#!/bin/sh
# A field added to Order without its migration: the tests' database lacks the column.
set -eu
grep -q '    email = models.EmailField()' shop/models.py
sed -i 's/^    email = models.EmailField()$/    email = models.EmailField()\n    note = models.TextField(blank=True)/' shop/models.py
grep -q 'note = models.TextField(blank=True)' shop/models.py
