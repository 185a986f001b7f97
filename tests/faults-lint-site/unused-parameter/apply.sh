#!/bin/sh
# renderMenu takes a heading it never uses: ESLint's recommended no-unused-vars reports it.
set -eu
sed -i 's/^export function renderMenu(list) {$/export function renderMenu(list, heading) {/' sites/www/src/menu.js
grep -q '^export function renderMenu(list, heading) {$' sites/www/src/menu.js
