#!/usr/bin/env bash
# lintian on the built packages: fails on any error and on any warning that
# is not overridden (every override in packaging/debian says why).
#
#   tests/packaging/lintian_test.sh DEB_DIR
set -euo pipefail
dir="$1"
command -v lintian >/dev/null || { echo "SKIPPED: lintian is not installed"; exit 77; }
changes="$(ls "$dir"/homeca_*.changes | tail -n1)"
echo "== lintian $(lintian --version | awk '{print $2}') on $(basename "$changes")"
# --fail-on error,warning: exit non-zero on any E: or W: left after the
# overrides. Info tags are shown (-I) but do not fail.
lintian --fail-on error,warning -I --show-overrides "$changes"
echo "lintian: no errors, no unoverridden warnings"
