#!/usr/bin/env bash
# homecad survives its avahi-daemon going away and coming back, without a
# restart of its own: _homeca._tcp is published again within seconds.
#  - SIGTERM: avahi-daemon says goodbye, so a device sees the record go, and
#    then (after the restart) come back.
#  - SIGKILL: no goodbye; the devices' caches still hold the old record, so
#    the check is on the CA host itself, whose new avahi-daemon starts empty
#    and knows the record only if homecad registered it again.
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/homeca_lan.sh"
lan_require_root_and_tools
lan_up ca device1 || fail "could not build the LAN"
start_homecad
record="^=;eth0;IPv4;homeca\\\\032on\\\\032ca;_homeca\\._tcp;local;ca\\.local;$(lan_ip ca);8443;.*\"v=1\""
browse_until device1 _homeca._tcp "$record" present 10 >/dev/null || fail "device1 does not see the CA"

lan_avahi_stop ca TERM
lan_wait_for_line "$CA_LOG" "mDNS discovery is off: avahi-daemon is not running" 10 ||
  fail "homecad did not notice avahi-daemon going away"
browse_until device1 _homeca._tcp "homeca\\\\032on\\\\032ca" absent 10 >/dev/null ||
  fail "the CA's record did not go away with its avahi-daemon"
kill -0 "$HOMECAD_PID" || fail "homecad died with avahi-daemon"
t0=$(now_ms)
lan_avahi_start ca || fail "avahi-daemon did not restart"
took="$(browse_until device1 _homeca._tcp "$record" present 10)" ||
  fail "_homeca._tcp was not published again within 10 s of avahi-daemon restarting"
total=$(($(now_ms) - t0))
pass "after SIGTERM + restart, device1 sees _homeca._tcp again ${total} ms after the restart began"
[ "$total" -lt 5000 ] || fail "re-publishing took ${total} ms (more than 5 s)"

lan_avahi_stop ca KILL
t0=$(now_ms)
lan_avahi_start ca || fail "avahi-daemon did not restart after SIGKILL"
took="$(browse_until ca _homeca._tcp "$record" present 10)" ||
  fail "_homeca._tcp was not published again within 10 s after a SIGKILLed avahi-daemon"
total=$(($(now_ms) - t0))
pass "after SIGKILL + restart, the CA's new avahi-daemon has _homeca._tcp ${total} ms after the restart began"
[ "$(grep -c "mDNS: published _homeca._tcp as 'homeca on ca'" "$CA_LOG")" -eq 3 ] ||
  fail "expected three publications in homecad's log"
# And devices can still pair by discovery.
code="$(ca_code_for device1)"
lan_run device1 "$HOMECA_ENROLL" pair --code "$code" --dir "$LAN_DIR/dev1" >/dev/null ||
  fail "pairing by discovery failed after the restarts"
pass "pairing by discovery still works"
