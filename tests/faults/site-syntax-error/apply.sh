#!/bin/sh
# A missing parenthesis in the site's entry module: only the build reads it.
set -eu
sed -i 's/^for (const item of MENU) {$/for (const item of MENU {/' sites/coffee-shop/src/main.js
grep -q '^for (const item of MENU {$' sites/coffee-shop/src/main.js
