#!/usr/bin/env bash
# A device pairs with no address typed: homeca-enroll finds homecad through
# _homeca._tcp, pairs, and checks the root it receives (sealed under the
# code) against the fingerprint prefix in the record. A record that points at
# the CA with another fingerprint is refused and nothing is written; two CAs
# without --ca-name is an error that names both.
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/homeca_lan.sh"
lan_require_root_and_tools
lan_up ca device1 device2 || fail "could not build the LAN"
start_homecad

# 1. Discovery alone.
code="$(ca_code_for device1)"
[ -n "$code" ] || fail "homeca pair add gave no code"
t0=$(now_ms)
out="$(lan_run device1 "$HOMECA_ENROLL" pair --code "$code" --dir "$LAN_DIR/dev1" 2>&1)" ||
  fail "pair by discovery failed: $out"
t1=$(now_ms)
grep -q "found CA:    'homeca on ca' at https://$(lan_ip ca):8443/enroll/v1" <<<"$out" ||
  fail "pair did not report the CA it found: $out"
grep -q "paired: device1.home.arpa" <<<"$out" || fail "unexpected pair output: $out"
[ -s "$LAN_DIR/dev1/key.pem" ] && [ -s "$LAN_DIR/dev1/chain.pem" ] || fail "no key or chain on disk"
openssl verify -CAfile "$LAN_DIR/dev1/root.pem" -untrusted "$LAN_DIR/dev1/chain.pem" \
  "$LAN_DIR/dev1/cert.pem" >/dev/null || fail "the certificate does not verify to the root"
[ "$(sha256_of_pem "$LAN_DIR/dev1/root.pem")" = "$(sha256_of_pem "$CA_DATA/root.pem")" ] ||
  fail "the device holds another root than the CA's"
pass "device1 paired by discovery alone in $((t1 - t0)) ms"
echo "timing: pair_with_discovery_ms=$((t1 - t0))"

# The admin sees where the new device is: the address it paired from (its
# authenticated contact; what mDNS shows is only a hint beside it).
web_setup_admin
api_until_devices() {
  local body
  for _ in $(seq 100); do
    body="$(api_get /api/v1/devices)"
    python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if any(x['name'] == 'device1.home.arpa' and x.get('addresses', [None])[0] == sys.argv[2] for x in d['devices']) else 1)" \
      "$body" "$(lan_ip device1)" && return 0
    sleep 0.1
  done
  echo "last answer: $body" >&2
  return 1
}
api_until_devices || fail "the API does not show device1's address on the LAN"
grep -q "data-testid=\"device-published\">names point to $(lan_ip device1) (from pairing)<" <<<"$(web_curl https://127.0.0.1:8443/devices)" ||
  fail "the Devices page does not show device1's address"
pass "the admin sees device1 at $(lan_ip device1) (API and Devices page)"

# 2. A second record for the same CA but another fingerprint ("rogue ca",
# announced from device2, its SRV pointing at ca.local): chosen by name, the
# pairing runs but the sealed root does not match, so nothing is installed.
lan_bg device2 "$LAN_DIR/rogue.log" avahi-publish -s -H ca.local "rogue ca" _homeca._tcp 8443 \
  v=1 fp=0000000000000000 path=/enroll/v1/
lan_wait_for_line "$LAN_DIR/rogue.log" "Established" 10 || fail "could not announce the rogue record"
code="$(ca_code_for device1b)"
out="$(lan_run device1 "$HOMECA_ENROLL" pair --code "$code" --ca-name "rogue ca" \
  --dir "$LAN_DIR/dev1b" 2>&1)" && fail "pairing through a record with the wrong fingerprint succeeded"
grep -q "does not have the expected fingerprint 0000000000000000" <<<"$out" ||
  fail "unexpected error for a wrong fingerprint: $out"
[ -z "$(ls -A "$LAN_DIR/dev1b" 2>/dev/null)" ] || fail "files were written after a fingerprint mismatch: $(ls "$LAN_DIR/dev1b")"
pass "a record with another fingerprint is refused and nothing is written"

# 3. Two CAs and no --ca-name: a clear error listing both, nothing sent.
code="$(ca_code_for device1c)"
out="$(lan_run device1 "$HOMECA_ENROLL" pair --code "$code" --dir "$LAN_DIR/dev1c" 2>&1)"
status=$?
[ "$status" -eq 2 ] || fail "ambiguous discovery should exit 2, got $status: $out"
grep -q "found 2 homeca CAs on the LAN: 'homeca on ca', 'rogue ca'; choose one with --ca-name" <<<"$out" ||
  fail "unexpected error for two CAs: $out"
pass "two CAs without --ca-name: $out"

# 4. No CA of that name: a clear error after the timeout.
out="$(lan_run device1 "$HOMECA_ENROLL" pair --code "$code" --ca-name "nobody" --discover-timeout 1 \
  --dir "$LAN_DIR/dev1c" 2>&1)" && fail "pairing with an absent CA name succeeded"
grep -q "no homeca CA named 'nobody' found on the LAN" <<<"$out" || fail "unexpected error: $out"
pass "an absent CA name fails after the timeout: $out"
