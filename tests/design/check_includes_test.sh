#!/usr/bin/env bash
# .ci/check-includes can fail: in a small tree of its own it must pass a
# tree that keeps to the arrows (programs on top may use the libraries below
# them) and catch each kind of back arrow: mdns using the CA engine, base
# using the engine, the engine's library using enroll/, the device side
# (libhomeca-enroll, the homeca-enroll program) or the protocol module using
# the engine, one program using another; and a known back arrow that is gone.
set -u
checker="$1"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/ca/base" "$tree/ca/x509" "$tree/ca/cli" "$tree/mdns" "$tree/enroll/pake" \
  "$tree/enroll/protocol" "$tree/enroll/device" "$tree/enroll/discovery" "$tree/enroll/cli" \
  "$tree/webui"
printf '#include "ca/base/status.h"\n' >"$tree/mdns/ok.cpp"
printf '#include "ca/base/status.h"\n' >"$tree/ca/x509/ok.cpp"
printf '#include "ca/x509/key.h"\n' >"$tree/ca/ok.cpp"
printf '#include "enroll/pake/seal.h"\n#include "ca/base/status.h"\n' \
  >"$tree/enroll/protocol/ok.cpp"
printf '#include "ca/authority.h"\n#include "enroll/protocol/errors.h"\n' >"$tree/enroll/ok.cpp"
printf '#include "ca/x509/certificate.h"\n#include "enroll/protocol/messages.h"\n' \
  >"$tree/enroll/device/ok.cpp"
printf '#include "enroll/device/transport.h"\n#include "mdns/mdns.h"\n' \
  >"$tree/enroll/discovery/ok.cpp"
printf '#include "enroll/discovery/ca_finder.h"\n#include "ca/base/args.h"\n' \
  >"$tree/enroll/cli/ok.cpp"
# Programs on top: the admin CLI creating pairings is no back arrow.
printf '#include "enroll/pairing_admin.h"\n#include "ca/authority.h"\n' >"$tree/ca/cli/cmd_pair.cpp"
printf '#include "enroll/enrollment_service.h"\n#include "mdns/mdns.h"\n' >"$tree/webui/ok.cpp"
out="$(python3 "$checker" "$tree")" || { echo "FAIL: a good tree was refused: $out"; exit 1; }
echo "ok: a tree that keeps to the arrows passes"

# expect_caught FILE INCLUDE ARROW: planting `#include "INCLUDE"` in FILE fails
# the check with a message naming the arrow ("mdns -> ca").
expect_caught() {
  printf '#include "%s"\n' "$2" >"$tree/$1"
  out="$(python3 "$checker" "$tree")" && { echo "FAIL: $3 ($1) was not caught"; exit 1; }
  grep -qF "$1: includes $2 ($3" <<<"$out" || { echo "FAIL: $out"; exit 1; }
  rm "$tree/$1"
  echo "ok: $3 ($1 including $2) is caught"
}
expect_caught mdns/bad.cpp ca/authority.h "mdns -> ca"
expect_caught ca/base/bad.h ca/cert_store.h "base -> ca"
expect_caught ca/x509/bad.cpp ca/cert_store.h "x509 -> ca"
expect_caught ca/bad.cpp enroll/pairing_admin.h "ca -> enroll"
expect_caught enroll/device/bad.cpp ca/cert_store.h "device -> ca"
expect_caught enroll/discovery/bad.cpp ca/authority.h "device -> ca"
expect_caught enroll/device/bad.cpp enroll/enrollment_service.h "device -> enroll"
expect_caught enroll/cli/bad.cpp ca/cert_store.h "homeca-enroll -> ca"
expect_caught enroll/protocol/bad.cpp ca/authority.h "protocol -> ca"
expect_caught enroll/protocol/bad.cpp enroll/device/transport.h "protocol -> device"
expect_caught enroll/pake/bad.cpp enroll/protocol/errors.h "pake -> protocol"
expect_caught enroll/cli/bad.cpp webui/web_ui.h "homeca-enroll -> webui"
expect_caught webui/bad.cpp ca/cli/args.h "webui -> homeca"

# The list of known back arrows must stay true: an entry whose include is
# gone fails the check. (The list is empty today; a copy of the checker
# with one entry shows the rule still holds.)
sed 's|^KNOWN = {}|KNOWN = {("ca/cli/gone.cpp", "enroll/pairing_admin.h"): "test"}|' "$checker" \
  >"$tree/checker"
grep -q 'ca/cli/gone.cpp' "$tree/checker" || { echo "FAIL: cannot plant a KNOWN entry"; exit 1; }
out="$(python3 "$tree/checker" "$tree")" && { echo "FAIL: a stale known back arrow was not reported"; exit 1; }
grep -q "remove it from KNOWN" <<<"$out" || { echo "FAIL: $out"; exit 1; }
echo "ok: a known back arrow that is gone must leave the list"
