#!/bin/sh
# A hand edit left spaces inside the parentheses: the code runs the same, prettier would rewrite it.
set -eu
sed -i 's/^export function formatPrice(price) {$/export function formatPrice( price ) {/' sites/www/src/menu.js
grep -q '^export function formatPrice( price ) {$' sites/www/src/menu.js
