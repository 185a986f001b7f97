#!/bin/sh
# A leftover import in the views.
set -eu
sed -i '1i import os' shop/views.py
head -1 shop/views.py | grep -qx 'import os'
