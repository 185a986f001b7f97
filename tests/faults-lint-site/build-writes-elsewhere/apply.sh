#!/bin/sh
# The build script now writes to public/: it succeeds, and the site's output directory stays empty.
set -eu
sed -i 's/"dist"/"public"/g' sites/www/build.mjs
grep -q 'cp("src", "public"' sites/www/build.mjs
