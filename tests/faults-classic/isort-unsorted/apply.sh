#!/bin/sh
# Two imports of the views swapped: still valid for flake8 and black, isort would reorder them.
set -eu
sed -i '/^from django.http import JsonResponse$/{N;s/^\(from django.http import JsonResponse\)\n\(from django.views.decorators.csrf import csrf_exempt\)$/\2\n\1/}' contact/views.py
grep -A1 '^from django.views.decorators.csrf import csrf_exempt$' contact/views.py | grep -q '^from django.http import JsonResponse$'
