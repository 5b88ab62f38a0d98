#!/usr/bin/env bash
# `homeca-enroll run` checks in with a real homecad when the host's addresses
# change, and otherwise sleeps without waking up.
#
# Both run in one private network namespace ("hcc<PID>"): homecad on its
# 127.0.0.1, the device with a veth interface whose addresses the test
# changes. Nothing touches the machine's own network namespace. Needs root
# and `ip netns`; skips (77) without them.
#
#   HOMECAD=... HOMECA=... HOMECA_ENROLL=... tests/e2e/checkin_netns_test.sh
set -uo pipefail

: "${HOMECAD:?set HOMECAD to the homecad binary}"
: "${HOMECA:?set HOMECA to the homeca binary}"
: "${HOMECA_ENROLL:?set HOMECA_ENROLL to the homeca-enroll binary}"

skip() {
  echo "SKIP: $*" >&2
  exit 77
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { echo "ok: $*"; }

[ "$(id -u)" -eq 0 ] || skip "needs root (a network namespace); run as root or in CI"
command -v ip >/dev/null 2>&1 || skip "needs 'ip' (apt-get install iproute2)"

NS="hcc$$"
DIR="$(mktemp -d)"
HOMECAD_PID=""
RUN_PID=""

show_logs() {
  local f
  for f in "$DIR"/homecad.log "$DIR"/run.log; do
    [ -s "$f" ] || continue
    echo "---- $f (last 30 lines)" >&2
    tail -n 30 "$f" >&2
  done
}

cleanup() {
  local status=$?
  [ "$status" -ne 0 ] && [ "$status" -ne 77 ] && show_logs
  # Only what this test started, by PID, then its namespace.
  for pid in $RUN_PID $HOMECAD_PID; do kill -TERM "$pid" 2>/dev/null; done
  for pid in $RUN_PID $HOMECAD_PID; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  ip netns del "$NS" 2>/dev/null
  rm -rf "$DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$NS" 2>/dev/null || skip "cannot create network namespaces here"
in_ns() { ip netns exec "$NS" "$@"; }
in_ns ip link set lo up || fail "cannot bring up lo in $NS"
# The interface whose addresses change, eth0: one end of a veth pair that
# stays in the namespace. No IPv6 link-local addresses (addrgenmode none):
# their arrival a second later, after duplicate address detection, would be
# address changes the test did not make.
in_ns ip link add eth0 type veth peer name eth0-peer || skip "no veth interfaces here"
for link in eth0 eth0-peer; do
  in_ns ip link set "$link" addrgenmode none || fail "cannot set addrgenmode on $link"
  in_ns ip link set "$link" up || fail "cannot bring up $link"
done

wait_for() { # FILE TEXT SECONDS: until TEXT is in FILE
  local i
  for ((i = 0; i < $3 * 20; i++)); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
checkins() { grep -c "checked in: the CA sees this device at 127.0.0.1" "$DIR/run.log"; }
wait_for_checkins() { # N SECONDS: until the device logged N answered check-ins
  local i
  for ((i = 0; i < $2 * 20; i++)); do
    [ "$(checkins)" -ge "$1" ] && return 0
    sleep 0.05
  done
  return 1
}
ctxt_switches() { # how often the daemon's thread gave up the CPU, voluntarily or not
  awk '/ctxt_switches/ { n += $2 } END { print n }' "/proc/$RUN_PID/status"
}

# Started with `ip netns exec` itself, not through in_ns: a shell function
# in the background would be a subshell, and $! its PID, not the daemon's.
# `ip netns exec` execs the program, so $! is the daemon itself.
ip netns exec "$NS" "$HOMECAD" --dev --data-dir="$DIR/ca" --https-port=8443 --http-port=8080 \
  >"$DIR/homecad.log" 2>&1 &
HOMECAD_PID=$!
wait_for "$DIR/homecad.log" "listening on" 20 || fail "homecad did not start"

code="$("$HOMECA" pair add --name nas --data-dir "$DIR/ca" |
  grep -oE '[0-9]{4}-[0-9]{4}-[0-9]{4}' | head -n 1)"
[ -n "$code" ] || fail "homeca pair add printed no code"
in_ns "$HOMECA_ENROLL" pair --code "$code" --ca https://127.0.0.1:8443 --dir "$DIR/device" \
  >"$DIR/pair.log" 2>&1 || fail "pairing failed: $(cat "$DIR/pair.log")"

ip netns exec "$NS" "$HOMECA_ENROLL" run --dir "$DIR/device" >"$DIR/run.log" 2>&1 &
RUN_PID=$!
wait_for_checkins 1 10 || fail "run did not check in at start"
# (By now `ip` has long exec'd homeca-enroll.)
[ "$(readlink "/proc/$RUN_PID/exe")" = "$(readlink -f "$HOMECA_ENROLL")" ] ||
  fail "PID $RUN_PID is not homeca-enroll: $(readlink "/proc/$RUN_PID/exe")"
pass "run checked in at start"
wait_for "$DIR/run.log" "next renewal" 10 || fail "run did not settle down to wait"

# Idle: no check-in and no wake-ups while nothing changes. (5.5 s also lets
# the CA's 5-second minimum between one certificate's check-ins pass.)
before=$(ctxt_switches)
sleep 5.5
after=$(ctxt_switches)
[ "$(checkins)" -eq 1 ] || fail "checked in $(checkins) times without an address change"
[ $((after - before)) -le 3 ] ||
  fail "run woke up $((after - before)) times in 5.5 s of nothing happening"
pass "idle for 5.5 s: 1 check-in, $((after - before)) context switches"

start=$(date +%s%3N)
in_ns ip addr add 10.77.0.2/24 dev eth0 || fail "cannot add an address"
wait_for_checkins 2 3 || fail "no check-in within 3 s of adding an address"
pass "an added address was checked in after $(($(date +%s%3N) - start)) ms"

# A burst (an interface coming up brings several addresses): one check-in.
sleep 5.5
in_ns ip addr add 10.77.0.3/24 dev eth0 || fail "cannot add an address"
in_ns ip addr add fd77::3/64 dev eth0 nodad || fail "cannot add an IPv6 address"
in_ns ip addr del 10.77.0.2/24 dev eth0 || fail "cannot remove an address"
wait_for_checkins 3 3 || fail "no check-in within 3 s of a burst of changes"
sleep 1.5
[ "$(checkins)" -eq 3 ] || fail "a burst of 3 changes made $(($(checkins) - 2)) check-ins, not 1"
pass "a burst of 3 address changes made 1 check-in"

grep -q "check-in failed" "$DIR/run.log" && fail "a check-in failed: $(grep 'check-in failed' "$DIR/run.log")"
kill -TERM "$RUN_PID"
for _ in $(seq 50); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.1; done
wait "$RUN_PID"
status=$?
RUN_PID=""
[ "$status" -eq 0 ] || fail "run exited with $status on SIGTERM"
grep -q "homeca-enroll: stopping" "$DIR/run.log" || fail "run did not say it was stopping"
pass "run stopped cleanly on SIGTERM"
