#!/bin/sh
# The dental site's contact form posts to a forms host no worker is deployed on (the intake
# worker's custom domain is intake.fieldwork.studio).
set -eu
sed -i 's#DEFAULT_INTAKE_URL = "https://intake.fieldwork.studio"#DEFAULT_INTAKE_URL = "https://forms.fieldwork.studio"#' sites/bright-dental/src/site.ts
grep -q '"https://forms.fieldwork.studio"' sites/bright-dental/src/site.ts
