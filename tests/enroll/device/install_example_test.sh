#!/bin/sh
# Installs libhomeca-enroll into a temporary prefix, builds the C example
# with `cc` and `pkg-config --cflags --libs homeca-enroll` against it, and
# runs it: --help, then every variant of one code's check digit (nine typos,
# caught locally, and the valid one, which fails cleanly: no CA listens).
# Also checks that the library exports the C API and nothing else.
#   install_example_test.sh BUILD_DIR EXAMPLE_C [EXTRA_CFLAGS]
set -eu
build=$1
example=$2
extra=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for component in libhomeca-enroll libhomeca-enroll-dev; do
  cmake --install "$build" --prefix "$tmp/prefix" --component "$component" >/dev/null
done
pc=$(find "$tmp/prefix" -name homeca-enroll.pc)
[ -n "$pc" ] || fail "homeca-enroll.pc was not installed"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
[ -f "$(pkg-config --variable=includedir homeca-enroll)/homeca_enroll.h" ] ||
  fail "pkg-config's includedir has no homeca_enroll.h"
[ -f "$(pkg-config --variable=includedir homeca-enroll)/homeca/enroll.hpp" ] ||
  fail "homeca/enroll.hpp was not installed"
libdir=$(pkg-config --variable=libdir homeca-enroll)

# shellcheck disable=SC2046,SC2086  # word splitting is the point
cc -std=c11 -Wall -Wextra -Wpedantic -Werror $extra "$example" \
  $(pkg-config --cflags --libs homeca-enroll) -o "$tmp/pair_example"
run() { LD_LIBRARY_PATH=$libdir "$tmp/pair_example" "$@"; }

run --help | grep -q "usage: pair_example" || fail "--help"
run >/dev/null 2>&1 && fail "no arguments must fail"

typos=0
unreachable=0
for last in 0 1 2 3 4 5 6 7 8 9; do
  status=0
  err=$(run --ca https://127.0.0.1:1 --dir "$tmp/tls" "42718204936$last" 2>&1) || status=$?
  [ "$status" -eq 1 ] || fail "exit status $status for a failed pairing: $err"
  case $err in
    *"has a typo"*) typos=$((typos + 1)) ;;
    *"cannot reach the CA"*) unreachable=$((unreachable + 1)) ;;
    *) fail "unexpected message: $err" ;;
  esac
  case $err in *42718204936*) fail "the message repeats the code: $err" ;; esac
done
[ "$typos" -eq 9 ] && [ "$unreachable" -eq 1 ] ||
  fail "expected 9 typos and 1 unreachable CA, got $typos and $unreachable"

exported=$(nm -D --defined-only "$libdir/libhomeca-enroll.so.1" | awk '{print $3}' |
  grep -v -e '^homeca_enroll_' -e '^HOMECA_ENROLL_1$' -e '^HOMECA_ENROLL_1\.1$' || true)
[ -z "$exported" ] || fail "exports beyond the C API: $exported"
echo "ok: installed, compiled with pkg-config, ran; exports only homeca_enroll_*"
