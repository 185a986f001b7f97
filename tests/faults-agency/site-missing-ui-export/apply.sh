#!/bin/sh
# A site page imports a helper under a name packages/ui does not export.
set -eu
sed -i 's/formatHours/formatOpeningHours/g' sites/bright-dental/src/pages/index.astro
grep -q 'import { formatOpeningHours, formatPhone, telHref } from "@agency/ui";' sites/bright-dental/src/pages/index.astro
