#!/bin/sh
# The site imports a module that does not exist, so the bundler cannot resolve it.
set -eu
sed -i 's#from "./menu.js";#from "./menus.js";#' sites/coffee-shop/src/main.js
grep -q '"./menus.js"' sites/coffee-shop/src/main.js
