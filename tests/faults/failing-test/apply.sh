#!/bin/sh
# Emails are no longer normalised to lower case; the API and validation tests expect they are.
set -eu
sed -i 's/        email=email.lower(),/        email=email,/' apps/web/inbox/validation.py
grep -q '        email=email,' apps/web/inbox/validation.py
