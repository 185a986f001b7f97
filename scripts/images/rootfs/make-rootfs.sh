#!/usr/bin/env bash
# Bootstrap a minimal Debian trixie root filesystem and write it as a tarball for `docker import`.
#
#   scripts/images/rootfs/make-rootfs.sh OUT.tar
#
# trixie, not bookworm: it has Python 3.13 and postgresql-17, the versions the plans name.
# ca-certificates is included here so every image can trust the host's CA before its first apt run.
set -euo pipefail

out="${1:?usage: make-rootfs.sh OUT.tar}"
suite=trixie
mirror=http://deb.debian.org/debian

work="$(mktemp -d "${TMPDIR:-/tmp}/predeploy-rootfs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

debootstrap --variant=minbase --include=ca-certificates --components=main \
  "$suite" "$work/root" "$mirror"

# What debootstrap leaves behind that an image should not carry.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* \
  "$work/root/debootstrap" "$work/root/etc/apt/sources.list"
: >"$work/root/etc/resolv.conf"
: >"$work/root/etc/hostname"

tar --numeric-owner --xattrs -C "$work/root" -cf "$out.partial" .
mv "$out.partial" "$out"
