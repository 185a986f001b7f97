#!/bin/sh
# Production settings stop trusting the proxy's X-Forwarded-Proto: every request, even one the
# TLS-terminating proxy forwards, is redirected to https — a loop behind the load balancer.
set -eu
grep -q '^SECURE_PROXY_SSL_HEADER = ' config/settings/production.py
sed -i '/^SECURE_PROXY_SSL_HEADER = /d' config/settings/production.py
if grep -q 'SECURE_PROXY_SSL_HEADER' config/settings/production.py; then exit 1; fi
