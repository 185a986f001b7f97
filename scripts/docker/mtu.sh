#!/usr/bin/env bash
# Print the MTU of the host's default-route interface (1500 when there is none).
# Docker networks should use it: a bridge with a larger MTU than the uplink can stall TLS downloads.
set -euo pipefail

device="$(ip route show default 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit }}')"
if [ -n "$device" ] && [ -r "/sys/class/net/$device/mtu" ]; then
  cat "/sys/class/net/$device/mtu"
else
  echo 1500
fi
