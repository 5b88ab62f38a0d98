#!/usr/bin/env bash
# .ci/check-includes can fail: in a small tree of its own it must catch a
# back arrow (mdns using the CA engine), a base file using the engine, and a
# known back arrow that is gone; and pass a tree that keeps to the arrows.
set -u
checker="$1"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/ca/base" "$tree/ca/cli" "$tree/mdns" "$tree/enroll" "$tree/webui"
printf '#include "ca/base/status.h"\n' >"$tree/mdns/ok.cpp"
printf '#include "ca/authority.h"\n#include "mdns/mdns.h"\n' >"$tree/enroll/ok.cpp"
printf '#include "enroll/pairing_admin.h"\n#include "enroll/acme/acme_pairing.h"\n' \
  >"$tree/ca/cli/cmd_pair.cpp"  # the known ones
out="$(python3 "$checker" "$tree")" || { echo "FAIL: a good tree was refused: $out"; exit 1; }
echo "ok: a tree that keeps to the arrows passes"

printf '#include "ca/authority.h"\n' >"$tree/mdns/bad.cpp"
out="$(python3 "$checker" "$tree")" && { echo "FAIL: mdns -> ca was not caught"; exit 1; }
grep -q "mdns/bad.cpp: includes ca/authority.h (mdns -> ca" <<<"$out" || { echo "FAIL: $out"; exit 1; }
rm "$tree/mdns/bad.cpp"
echo "ok: mdns -> ca is caught"

printf '#include "ca/cert_store.h"\n' >"$tree/ca/base/bad.h"
out="$(python3 "$checker" "$tree")" && { echo "FAIL: base -> ca was not caught"; exit 1; }
rm "$tree/ca/base/bad.h"
echo "ok: base -> ca is caught"

rm "$tree/ca/cli/cmd_pair.cpp"
out="$(python3 "$checker" "$tree")" && { echo "FAIL: a stale known back arrow was not reported"; exit 1; }
grep -q "remove it from KNOWN" <<<"$out" || { echo "FAIL: $out"; exit 1; }
echo "ok: a known back arrow that is gone must leave the list"
