#!/bin/sh
# A prettier option with a value it does not take, and an ESLint plugin imported but never installed.
set -eu
printf '{ "printWidth": 100, "semi": "sometimes" }\n' > sites/www/.prettierrc.json
sed -i '1i import react from "eslint-plugin-react";' sites/www/eslint.config.js
sed -i 's/^  js.configs.recommended,$/&\n  react.configs.flat.recommended,/' sites/www/eslint.config.js
grep -q 'react.configs.flat.recommended' sites/www/eslint.config.js
