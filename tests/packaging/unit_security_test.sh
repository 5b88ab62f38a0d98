#!/usr/bin/env bash
# The shipped systemd units pass `systemd-analyze security --offline=true`
# with an exposure of at most the given level, and systemd reads every line
# of them without a warning (an unknown or misspelt setting would be ignored,
# silently weakening the sandbox).
#
#   tests/packaging/unit_security_test.sh UNIT MAX_EXPOSURE   e.g. homeca.service 2.0
set -euo pipefail
unit="$1"
max="$2"
command -v systemd-analyze >/dev/null || { echo "SKIPPED: systemd-analyze is not installed"; exit 77; }
out="$(systemd-analyze security --offline=true --no-pager "$unit" 2>"${TMPDIR:-/tmp}/unit-security.$$")" || true
warnings="$(cat "${TMPDIR:-/tmp}/unit-security.$$")"
rm -f "${TMPDIR:-/tmp}/unit-security.$$"
if [ -n "$warnings" ]; then
  echo "systemd warns about $unit:"
  echo "$warnings"
  exit 1
fi
echo "$out" | grep -E '^✗' || true
level="$(echo "$out" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')"
[ -n "$level" ] || { echo "$out"; echo "no exposure level in the output"; exit 1; }
echo "exposure level of $(basename "$unit"): $level (at most $max)"
awk -v l="$level" -v m="$max" 'BEGIN { exit !(l <= m) }'
