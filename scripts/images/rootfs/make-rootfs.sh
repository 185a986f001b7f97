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

# What debuerreotype adds to make debian:trixie-slim (debuerreotype-minimizing-config and
# debuerreotype-slimify): the official images built FROM it (python, node, postgres, redis) behave
# this way, e.g. `apt-get purge --auto-remove` also removes what is only suggested.
root="$work/root"
cat >"$root/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
# As in debian:*-slim: installing a package never starts its service (no init in a container).
exit 101
EOF
chmod 0755 "$root/usr/sbin/policy-rc.d"
echo 'force-unsafe-io' >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
apt_clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<EOF
DPkg::Post-Invoke { $apt_clean };
APT::Update::Post-Invoke { $apt_clean };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
chmod 0644 "$root"/etc/dpkg/dpkg.cfg.d/docker-* "$root"/etc/apt/apt.conf.d/docker-*

# slim: documentation, man pages and translations are neither kept nor installed later.
slim_excludes=('/usr/share/doc/*' '/usr/share/groff/*' '/usr/share/info/*' '/usr/share/linda/*'
  '/usr/share/lintian/overrides/*' '/usr/share/locale/*' '/usr/share/man/*')
slim_includes=('/usr/share/doc/*/copyright' '/usr/share/doc/kde/HTML/C/*' '/usr/share/gnome/help/*/C/*'
  '/usr/share/locale/all_languages' '/usr/share/locale/currency/*' '/usr/share/locale/l10n/*'
  '/usr/share/locale/languages' '/usr/share/locale/locale.alias' '/usr/share/omf/*/*-C.emf')
{
  echo '# The "slim" variant of the Debian base image: files normally unneeded in containers are'
  echo '# excluded, and this configuration keeps them that way.'
  printf 'path-exclude %s\n' "${slim_excludes[@]}"
  printf 'path-include %s\n' "${slim_includes[@]}"
} >"$root/etc/dpkg/dpkg.cfg.d/docker"
chmod 0644 "$root/etc/dpkg/dpkg.cfg.d/docker"
keep=()
for pattern in "${slim_includes[@]}"; do keep+=(${keep[0]+-o} -path "$pattern"); done
for pattern in "${slim_excludes[@]}"; do
  dir="${pattern%/\*}"
  [ -d "$root$dir" ] || continue
  # In the chroot, so that absolute symlinks resolve inside it.
  chroot "$root" find "$dir" -depth -mindepth 1 -not \( "${keep[@]}" \) -not \( -type d -o -type l \) -delete
  # then dangling symlinks and empty directories, until none is left
  while [ -n "$(chroot "$root" find "$dir" -depth -mindepth 1 \( -empty -o -xtype l \) -print -delete)" ]; do :; done
done

# What debootstrap leaves behind that an image should not carry.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* \
  "$work/root/debootstrap" "$work/root/etc/apt/sources.list"
: >"$work/root/etc/resolv.conf"
: >"$work/root/etc/hostname"

tar --numeric-owner --xattrs -C "$work/root" -cf "$out.partial" .
mv "$out.partial" "$out"
