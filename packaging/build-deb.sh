#!/usr/bin/env bash
# Builds homeca's Debian packages: packaging/build-deb.sh [OUTDIR]
#
# The Debian source lives in packaging/debian so that the repository root stays
# an ordinary CMake project. This script copies the source tree (the files git
# tracks or would track, so build directories and other clutter stay out) to a
# temporary directory, puts packaging/debian there as ./debian, and runs
#   dpkg-buildpackage -us -uc -b
# in it. The .deb, .buildinfo and .changes files land in OUTDIR (default
# ./build-deb). Extra arguments after OUTDIR go to dpkg-buildpackage, e.g.
# --host-arch arm64 for a cross build.
#
# Needs the Build-Depends of packaging/debian/control (dpkg-checkbuilddeps
# says which are missing) and dpkg-dev.
set -euo pipefail

src="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$src/build-deb}")"
shift || true

version="$(dpkg-parsechangelog -l "$src/packaging/debian/changelog" -S Version)"
# HOMECA_DEB_WORKDIR: build in this fixed directory (emptied first, kept
# afterwards) instead of a temporary one, so that with HOMECA_CCACHE=1 the
# compiler command lines repeat and ccache hits.
if [ -n "${HOMECA_DEB_WORKDIR:-}" ]; then
  work="$HOMECA_DEB_WORKDIR"
  rm -rf "$work"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/homeca-deb.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
tree="$work/homeca-$version"
mkdir -p "$tree" "$out"

if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked and untracked-but-not-ignored files that exist (a deleted file
  # that is still tracked is skipped).
  git -C "$src" ls-files -z --cached --others --exclude-standard |
    (cd "$src" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
    tar -C "$src" --null -T - -cf - | tar -C "$tree" -xf -
else
  tar -C "$src" --exclude='./build*' --exclude=./debian -cf - . | tar -C "$tree" -xf -
fi
rm -rf "$tree/debian"
cp -a "$src/packaging/debian" "$tree/debian"

# One compile job per core unless DEB_BUILD_OPTIONS says otherwise.
case " ${DEB_BUILD_OPTIONS:-} " in
  *" parallel="*) ;;
  *) export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }parallel=$(nproc)" ;;
esac
# HOMECA_CCACHE=1 compiles through ccache's compiler links (repeated builds).
if [ "${HOMECA_CCACHE:-0}" = 1 ] && [ -d /usr/lib/ccache ]; then
  export PATH="/usr/lib/ccache:$PATH"
fi

(cd "$tree" && dpkg-buildpackage -us -uc -b "$@")

for f in "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes; do
  [ -e "$f" ] && mv -f "$f" "$out/"
done
echo "== packages in $out:"
ls -l "$out"/*.deb
