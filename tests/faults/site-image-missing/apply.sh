#!/bin/sh
# The coffee shop's header shows a photo that was never added to the site's public folder.
set -eu
sed -i 's#      <h1>Harbour Street Coffee</h1>#      <img src="/roastery.jpg" alt="The roastery on Harbour Street" width="640" height="360" />\n      <h1>Harbour Street Coffee</h1>#' sites/coffee-shop/index.html
grep -q 'src="/roastery.jpg"' sites/coffee-shop/index.html
