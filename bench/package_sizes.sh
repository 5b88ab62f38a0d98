#!/usr/bin/env bash
# Sizes of the Debian packages: the .deb file and what it occupies once
# installed (dpkg's Installed-Size, in KiB), without the -dbgsym packages.
#
#   bench/package_sizes.sh DEB_DIR      (after packaging/build-deb.sh DEB_DIR)
set -euo pipefail
dir="${1:?usage: $0 DEB_DIR}"
printf '| package | architecture | .deb size (KiB) | Installed-Size (KiB) |\n|---|---|---|---|\n'
for deb in "$dir"/*.deb; do
  case "$deb" in *-dbgsym_*) continue ;; esac
  name="$(dpkg-deb -f "$deb" Package)"
  arch="$(dpkg-deb -f "$deb" Architecture)"
  installed="$(dpkg-deb -f "$deb" Installed-Size)"
  size=$(( ($(stat -c %s "$deb") + 1023) / 1024 ))
  printf '| %s | %s | %s | %s |\n' "$name" "$arch" "$size" "$installed"
done
