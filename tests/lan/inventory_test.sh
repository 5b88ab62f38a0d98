#!/usr/bin/env bash
# The LAN inventory: a printer announced with avahi-publish on a device host
# appears in homecad's inventory (JSON API, Devices page). A hostile
# announcement (HTML and control characters in the instance name, an
# oversized TXT record, a device id that is a path) is shown safely: bounded,
# without control characters, escaped in HTML, and a bad pair record is not
# listed at all.
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/homeca_lan.sh"
lan_require_root_and_tools
lan_up ca device1 device2 || fail "could not build the LAN"
start_homecad
web_setup_admin

t0=$(now_ms)
lan_bg device1 "$LAN_DIR/printer.log" avahi-publish -s "Office printer" _ipp._tcp 631 \
  rp=ipp/print "ty=Acme LaserJet"
PRINTER_PID=$LAN_LAST_PID
took="$(api_discovery_until "any(s['name'] == 'Office printer' and s['type'] == '_ipp._tcp' and \
s['host'] == 'device1.local' and s['address'] == '$(lan_ip device1)' and s['port'] == 631 \
for s in d['inventory'])" 10)" || fail "the printer did not appear in the inventory"
pass "the printer on device1 appears in the inventory $(($(now_ms) - t0)) ms after avahi-publish started"

# Hostile: HTML, a bell, an ANSI escape and a right-to-left override in the
# name; forty 240-byte TXT strings (10 KB).
hostile_name="$(printf '<script>alert(1)</script>\a\033[31m\xe2\x80\xaeevil')"
big_txt=()
for i in $(seq 40); do big_txt+=("k$i=$(head -c 240 /dev/zero | tr '\0' 'A')"); done
lan_bg device2 "$LAN_DIR/hostile.log" avahi-publish -s "$hostile_name" _http._tcp 80 "${big_txt[@]}"
lan_bg device2 "$LAN_DIR/hostile-pair.log" avahi-publish -s "walker" _homeca-pair._tcp 0 \
  "id=../../etc/passwd" "model=<img src=x onerror=alert(1)>"
lan_bg device2 "$LAN_DIR/html-pair.log" avahi-publish -s "html model" _homeca-pair._tcp 0 \
  "id=tv-1" "model=<img src=x onerror=alert(1)>"
api_discovery_until "any(s['name'].startswith('<script>') for s in d['inventory']) and \
any(w['device_id'] == 'tv-1' for w in d['waiting'])" 10 >/dev/null ||
  fail "the hostile announcements did not show up"
body="$(api_get /api/v1/discovery)"
python3 - "$body" <<'PY' || fail "the hostile announcement is not shown safely: $body"
import json, sys
d = json.loads(sys.argv[1])
s = [s for s in d["inventory"] if s["name"].startswith("<script>")][0]
name = s["name"]
assert name.startswith("<script>alert(1)</script>"), name  # text, for the renderer to escape
assert len(name.encode()) <= 63, len(name.encode())
assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in name), repr(name)
assert "\ufffd" in name, repr(name)  # the control characters were replaced, visibly
ids = [w["device_id"] for w in d["waiting"]]
assert "../../etc/passwd" not in ids, ids
assert ids == ["tv-1"], ids
PY
page="$(web_curl https://127.0.0.1:8443/devices)"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' <<<"$page" || fail "the hostile name is not on the page, escaped"
grep -q '&lt;img src=x onerror=alert(1)&gt;' <<<"$page" || fail "the hostile model is not on the page, escaped"
if grep -q -e '<script>alert' -e '<img src=x' <<<"$page"; then fail "raw HTML from the LAN reached the page"; fi
if grep -q -e $'\a' -e $'\033' <<<"$page"; then fail "control characters from the LAN reached the page"; fi
if grep -q 'etc/passwd' <<<"$page"; then fail "a pair record with a path for an id was listed"; fi
pass "hostile announcements are bounded, sanitized and escaped; the bad pair record is not listed"
browser_devices_page --waiting tv-1 --text "<script>alert(1)</script>" \
  --text "<img src=x onerror=alert(1)>" --text "Office printer"

# When the printer goes away, so does its entry.
kill "$PRINTER_PID"
api_discovery_until "not any(s['name'] == 'Office printer' for s in d['inventory'])" 10 >/dev/null ||
  fail "the printer stayed in the inventory after it withdrew"
pass "a withdrawn service leaves the inventory"
