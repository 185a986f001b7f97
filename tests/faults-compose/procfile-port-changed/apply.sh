#!/bin/sh
# The Procfile's web process moves to port 5001; the compose healthcheck still asks 5000.
set -eu
grep -q 'bind 0.0.0.0:5000' Procfile
sed -i 's/bind 0.0.0.0:5000/bind 0.0.0.0:5001/' Procfile
grep -q 'bind 0.0.0.0:5001' Procfile
grep -q "localhost:5000/ops/ping/" docker-compose.production.yml
