#!/bin/sh
# The bakery's home page links to its contact page under a path the site never builds.
set -eu
sed -i 's#<a href="/contact/">Send us a message</a>#<a href="/contact-us/">Send us a message</a>#' sites/rosemary-bakery/src/pages/index.astro
grep -q 'href="/contact-us/"' sites/rosemary-bakery/src/pages/index.astro
