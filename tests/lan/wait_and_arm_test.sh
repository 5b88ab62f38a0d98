#!/usr/bin/env bash
# The device has its own code: `homeca-enroll wait` on device2 announces
# _homeca-pair._tcp; homecad lists it as waiting to pair (JSON API and the
# Devices page); the admin arms it (API, with the device's code and a name);
# the device pairs on its next poll, gets its certificate and withdraws its
# announcement, so it leaves the waiting list.
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/homeca_lan.sh"
lan_require_root_and_tools
lan_up ca device1 device2 || fail "could not build the LAN"
start_homecad
web_setup_admin

device_id="cam-7f3a"
device_code="$(python3 "$here/device_code.py")"
t0=$(now_ms)
lan_bg device2 "$LAN_DIR/wait.log" "$HOMECA_ENROLL" wait --id "$device_id" --code "$device_code" \
  --model "Acme cam <b>4K</b>" --dir "$LAN_DIR/dev2"
WAIT_PID=$LAN_LAST_PID
api_discovery_until "any(w['device_id'] == '$device_id' for w in d['waiting'])" 10 >/dev/null ||
  fail "device2 did not show up as waiting to pair"
t1=$(now_ms)
pass "device2 is waiting to pair, $((t1 - t0)) ms after 'homeca-enroll wait' started"
echo "timing: announce_to_api_ms=$((t1 - t0))"
body="$(api_get /api/v1/discovery)"
python3 - "$body" "$device_id" "$(lan_ip device2)" <<'PY' || fail "unexpected waiting entry: $body"
import json, sys
d = json.loads(sys.argv[1])
assert d["enabled"] is True, d
assert d["status"] == "on, published as 'homeca on ca'", d["status"]
w = [w for w in d["waiting"] if w["device_id"] == sys.argv[2]][0]
assert w["model"] == "Acme cam <b>4K</b>", w
assert w["address"] == sys.argv[3], w
PY
page="$(web_curl https://127.0.0.1:8443/devices)"
grep -q "data-testid=\"waiting-row\"><td>$device_id</td><td>Acme cam &lt;b&gt;4K&lt;/b&gt;</td>" <<<"$page" ||
  fail "the Devices page does not list device2 as waiting (escaped)"
pass "the Devices page lists it, its model escaped"
browser_devices_page --waiting "$device_id" --text "Acme cam <b>4K</b>"

# The admin pairs it: the device's own code and a name, through the API.
status="$(lan_run ca curl -sk -o "$LAN_DIR/arm.json" -w '%{http_code}' -H "Authorization: Bearer $API_TOKEN" \
  -H 'Content-Type: application/json' \
  --data "{\"device_id\": \"$device_id\", \"code\": \"$device_code\", \"names\": [\"camera\"]}" \
  https://127.0.0.1:8443/api/v1/pairings/device)"
[ "$status" = 201 ] || [ "$status" = 200 ] || fail "arming answered $status: $(cat "$LAN_DIR/arm.json")"
t2=$(now_ms)
for _ in $(seq 150); do kill -0 "$WAIT_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$WAIT_PID" 2>/dev/null && fail "homeca-enroll wait did not finish within 15 s of arming"
wait "$WAIT_PID" || fail "homeca-enroll wait failed: $(cat "$LAN_DIR/wait.log")"
pass "device2 paired $(($(now_ms) - t2)) ms after the admin armed it"
grep -q "paired: camera.home.arpa" "$LAN_DIR/wait.log" || fail "unexpected wait output: $(cat "$LAN_DIR/wait.log")"
openssl verify -CAfile "$LAN_DIR/dev2/root.pem" -untrusted "$LAN_DIR/dev2/chain.pem" \
  "$LAN_DIR/dev2/cert.pem" >/dev/null || fail "device2's certificate does not verify"
openssl x509 -in "$LAN_DIR/dev2/cert.pem" -noout -ext subjectAltName | grep -q "DNS:camera.home.arpa" ||
  fail "device2's certificate is not for camera.home.arpa"
if grep -qF -e "$device_code" -e "${device_code//-/}" "$LAN_DIR/wait.log"; then
  fail "the pairing code appears in the device's output"
fi

api_discovery_until "not any(w['device_id'] == '$device_id' for w in d['waiting'])" 10 >/dev/null ||
  fail "device2 is still listed as waiting after pairing"
pass "after pairing, device2 withdrew its announcement and left the waiting list"
