#!/usr/bin/env bash
# homeca answers for a device's name over mDNS (Mdns::PublishHost) and
# watches who else answers for it (Mdns::WatchHost), on real avahi-daemons.
# Host "ca" runs mdns_host_tool (publish + watch); "laptop" resolves the name
# (avahi-resolve, getent through nss-mdns) and runs a second tool that only
# watches, to see what the LAN's caches hold; "rogue" claims the name.
#  1. ca publishes nas.local -> NAS_IP: the laptop resolves it.
#  2. rogue claims it with avahi-publish: it probes first, loses to our
#     established records, and nothing moves.
#  3. rogue claims it once with a raw announcement (no probing, as any host
#     can): avahi-daemon on ca re-asserts our records; the laptop holds the
#     claimant's address for a moment beside ours, then only ours.
#  4. rogue keeps announcing: ca goes to collision, its watch shows the
#     claimant, retries back off (5 s, 10 s), and ca takes the name again
#     once rogue stops.
#  5. rogue holds the name first: we are in collision until it lets go.
#  6. replacing the publication with a new address: timed on the laptop.
#  7. avahi-daemon on ca restarts: the records come back by themselves.
# What we publish never changes except by our own command.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lan.sh"
: "${MDNS_HOST_TOOL:?set MDNS_HOST_TOOL to the mdns_host_tool binary}"
MDNS_HOST_TOOL="$(realpath "$MDNS_HOST_TOOL")"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { echo "ok: $*"; }
now_ms() { date +%s%3N; }
lan_on_failure() {
  local f
  for f in "$LAN_DIR"/*.log "$LAN_DIR"/*/avahi.log; do
    [ -s "$f" ] || continue
    echo "---- $f (last 40 lines)" >&2
    tail -n 40 "$f" >&2
  done
}

lan_require_root_and_tools
command -v avahi-resolve >/dev/null || lan_skip "needs avahi-resolve (apt-get install avahi-utils)"
command -v getent >/dev/null || lan_skip "needs getent"
command -v python3 >/dev/null || lan_skip "needs python3"
lan_up ca laptop rogue || fail "could not build the LAN"
ROGUE_IP="$(lan_ip rogue)"
NAS_IP=192.168.77.50   # where homecad knows the device is (nobody needs to be there)
NAS_IP2=192.168.77.51  # where it moves to

# One tool per host, each driven through a FIFO (fd 7: ca, fd 8: laptop).
for host in ca laptop; do
  mkfifo "$LAN_DIR/$host.in"
  lan_bg "$host" "$LAN_DIR/$host-tool.log" "$MDNS_HOST_TOOL" --watch nas.local \
    --commands "$LAN_DIR/$host.in"
  [ "$host" = ca ] && CA_TOOL_PID=$LAN_LAST_PID
done
CA_LOG="$LAN_DIR/ca-tool.log"
LAPTOP_LOG="$LAN_DIR/laptop-tool.log"
exec 7>"$LAN_DIR/ca.in" 8>"$LAN_DIR/laptop.in"
ca_tool() { echo "$*" >&7; }
lines() { wc -l <"$1"; }
# Waits until the tool log $1 has, after line $2, a line matching the
# extended regex $3, for at most $4 seconds; prints that line.
log_wait() {
  local log="$1" after="$2" pattern="$3" seconds="${4:-10}" i line
  for ((i = 0; i < seconds * 20; i++)); do
    if line="$(tail -n +"$((after + 1))" "$log" | grep -E -m1 -- "$pattern")"; then
      echo "$line"
      return 0
    fi
    sleep 0.05
  done
  return 1
}
# Does the tool log $1 have, after line $2, a line matching $3?
log_has() { tail -n +"$(($2 + 1))" "$1" | grep -qE -- "$3"; }
stamp() { cut -d' ' -f1 <<<"$1"; }
sighting() { echo "sighting nas.local ours=$1 others=$2 truncated=0\$"; }
# What the laptop resolves nas.local to over mDNS (IPv4), or nothing.
resolve() { lan_run laptop timeout 3 avahi-resolve -4 -n nas.local 2>/dev/null | awk '{print $2}'; }
# Polls until the laptop resolves nas.local to $1 (none: to nothing), for at
# most $2 seconds; prints how long it took, in ms.
resolve_until() {
  local want="$1" seconds="$2" start got
  start=$(now_ms)
  while [ $(($(now_ms) - start)) -lt $((seconds * 1000)) ]; do
    got="$(resolve)"
    if [ "$got" = "$want" ] || { [ "$want" = none ] && [ -z "$got" ]; }; then
      echo $(($(now_ms) - start))
      return 0
    fi
    sleep 0.1
  done
  return 1
}

log_wait "$CA_LOG" 0 "$(sighting "" "")" 10 >/dev/null ||
  fail "the watch on ca did not report its first answers"
log_wait "$LAPTOP_LOG" 0 "$(sighting "" "")" 10 >/dev/null ||
  fail "the watch on the laptop did not report its first answers"
pass "both watches report nobody answering for nas.local yet"

# 1. Publish; the laptop resolves it.
n=$(lines "$CA_LOG")
ca_tool publish nas.local "$NAS_IP"
log_wait "$CA_LOG" "$n" "state nas.local established" 10 >/dev/null || fail "nas.local was not established"
resolve_until "$NAS_IP" 5 >/dev/null || fail "the laptop does not resolve nas.local to $NAS_IP (got '$(resolve)')"
got="$(lan_run laptop getent hosts nas.local | awk '{print $1}')"
[ "$got" = "$NAS_IP" ] || fail "getent (nss-mdns) on the laptop gave '$got', not $NAS_IP"
# Published without a reverse (PTR) record: the address's name is not ours.
if lan_run laptop timeout 3 avahi-resolve -a "$NAS_IP" >/dev/null 2>&1; then
  fail "the laptop resolves $NAS_IP back to a name: a PTR record was published"
fi
log_wait "$CA_LOG" "$n" "$(sighting "$NAS_IP" "")" 5 >/dev/null ||
  fail "the watch on ca does not see our own record as ours"
log_wait "$LAPTOP_LOG" 0 "$(sighting "" "$NAS_IP")" 5 >/dev/null ||
  fail "the watch on the laptop does not see nas.local -> $NAS_IP"
pass "ca publishes nas.local -> $NAS_IP (no PTR); the laptop resolves it (avahi-resolve and getent); ca's watch sees it as ours"

# 2. avahi-publish on rogue probes first and loses to our established record.
n=$(lines "$CA_LOG")
m=$(lines "$LAPTOP_LOG")
lan_bg rogue "$LAN_DIR/rogue-publish.log" avahi-publish -a -R nas.local "$ROGUE_IP"
rogue_pid=$LAN_LAST_PID
lan_wait_for_line "$LAN_DIR/rogue-publish.log" "collision" 5 ||
  fail "avahi-publish on rogue did not report a collision: $(cat "$LAN_DIR/rogue-publish.log")"
sleep 1
# avahi-publish 0.8 then aborts (it asks for an alternative to a host name
# it does not have); whatever it does, it must not hold the name.
kill -0 "$rogue_pid" 2>/dev/null && kill "$rogue_pid"
log_has "$CA_LOG" "$n" "state nas.local (registering|collision)" && fail "rogue's probe disturbed our record"
log_has "$LAPTOP_LOG" "$m" "$ROGUE_IP" && fail "the laptop saw rogue's address after a probe it lost"
[ "$(resolve)" = "$NAS_IP" ] || fail "the laptop no longer resolves nas.local to $NAS_IP"
pass "rogue's avahi-publish loses the probe to our established record: $(head -n 1 "$LAN_DIR/rogue-publish.log")"

# 3. One raw announcement: avahi-daemon on ca defends the name.
n=$(lines "$CA_LOG")
m=$(lines "$LAPTOP_LOG")
lan_run rogue python3 "$here/mdns_claim.py" nas.local "$ROGUE_IP" "$ROGUE_IP" 1 ||
  fail "could not send the claim"
seen="$(log_wait "$LAPTOP_LOG" "$m" "others=.*$ROGUE_IP" 3)" ||
  fail "the laptop never saw the claim (is the claimant working?)"
gone="$(log_wait "$LAPTOP_LOG" "$m" "$(sighting "" "$NAS_IP")" 10)" ||
  fail "the laptop still holds rogue's address 10 s after one claim"
log_has "$CA_LOG" "$n" "state nas.local (registering|collision)" && fail "one claim took our record down"
log_has "$CA_LOG" "$n" "sighting" && fail "ca's watch changed on a claim avahi-daemon refused to cache"
[ "$(resolve)" = "$NAS_IP" ] || fail "the laptop no longer resolves nas.local to $NAS_IP"
pass "one raw claim: ca stays established and sees nothing; the laptop held rogue's address beside ours for $(($(stamp "$gone") - $(stamp "$seen"))) ms"

# 4. A claimant that keeps announcing (every 0.5 s for 7 s).
n=$(lines "$CA_LOG")
m=$(lines "$LAPTOP_LOG")
claim_start=$(now_ms)
lan_run rogue python3 "$here/mdns_claim.py" nas.local "$ROGUE_IP" "$ROGUE_IP" 14 0.5 &
claim_pid=$!
first="$(log_wait "$CA_LOG" "$n" "log mDNS: another host answers for nas.local|state nas.local collision" 5)" ||
  fail "repeated claims did not put our record in collision"
log_wait "$CA_LOG" "$n" "sighting nas.local .*others=$ROGUE_IP" 5 >/dev/null ||
  fail "ca's watch does not show the claimant while in collision"
wait "$claim_pid"
stopped=$(now_ms)
back="$(log_wait "$CA_LOG" "$n" "state nas.local established" 30)" ||
  fail "ca did not take nas.local back within 30 s of the claims"
# The tool polls the state every 20 ms, so a short-lived state can slip by:
# the timings come from the implementation's log lines.
retry="$(log_wait "$CA_LOG" "$n" "log mDNS: claiming nas.local again" 1)" || fail "no retry was logged"
gap=$(($(stamp "$retry") - $(stamp "$first")))
[ "$gap" -ge 4500 ] || fail "ca retried ${gap} ms after the collision (the back-off starts at 5 s)"
tries=$(tail -n +"$((n + 1))" "$CA_LOG" | grep -c "log mDNS: claiming nas.local again")
[ "$tries" -le 3 ] || fail "ca retried $tries times during a 7 s attack (flooding)"
log_has "$CA_LOG" "$n" "state nas.local collision" || fail "the publication's state never said collision"
log_wait "$LAPTOP_LOG" "$m" "$(sighting "" "$NAS_IP")" 10 >/dev/null ||
  fail "the laptop still holds rogue's address 10 s after we took the name back"
resolve_until "$NAS_IP" 5 >/dev/null || fail "the laptop does not resolve nas.local to $NAS_IP after the attack"
pass "repeated claims: collision $(($(stamp "$first") - claim_start)) ms after the first claim, claimant shown, first retry after ${gap} ms, $tries retries in all, name back $(($(stamp "$back") - stopped)) ms after the claims stopped"

# 5. rogue holds the name before we publish.
m=$(lines "$LAPTOP_LOG")
t0=$(now_ms)
ca_tool withdraw
gone="$(log_wait "$LAPTOP_LOG" "$m" "$(sighting "" "")" 5)" || fail "the laptop still holds nas.local 5 s after we withdrew"
pass "withdrawn: the laptop's cache drops nas.local $(($(stamp "$gone") - t0)) ms later (goodbye packets)"
n=$(lines "$CA_LOG")
lan_bg rogue "$LAN_DIR/rogue-publish2.log" avahi-publish -a -R nas.local "$ROGUE_IP"
rogue_pid=$LAN_LAST_PID
lan_wait_for_line "$LAN_DIR/rogue-publish2.log" "Established" 5 || fail "rogue could not publish nas.local"
log_wait "$CA_LOG" "$n" "$(sighting "" "$ROGUE_IP")" 5 >/dev/null || fail "ca's watch does not show the holder"
n=$(lines "$CA_LOG")
ca_tool publish nas.local "$NAS_IP"
log_wait "$CA_LOG" "$n" "state nas.local collision" 5 >/dev/null || fail "publishing a held name did not collide"
[ "$(resolve)" = "$ROGUE_IP" ] || fail "the laptop should resolve the holder's address while it holds the name"
kill -TERM "$rogue_pid"
stopped=$(now_ms)
back="$(log_wait "$CA_LOG" "$n" "state nas.local established" 15)" || fail "ca did not take the name after rogue let go"
resolve_until "$NAS_IP" 5 >/dev/null || fail "the laptop does not resolve nas.local to $NAS_IP after rogue let go"
pass "a name held first: collision, holder shown; ca took it $(($(stamp "$back") - stopped)) ms after the holder let go"

# 6. Replace the publication with a new address (destroy, publish anew).
n=$(lines "$CA_LOG")
m=$(lines "$LAPTOP_LOG")
t0=$(now_ms)
ca_tool publish nas.local "$NAS_IP2"
took="$(resolve_until "$NAS_IP2" 10)" || fail "the laptop does not resolve the new address within 10 s"
switched="$(log_wait "$LAPTOP_LOG" "$m" "$(sighting "" "$NAS_IP2")" 10)" ||
  fail "the laptop's cache did not drop the old address"
[ "$took" -lt 5000 ] || fail "the new address took ${took} ms to resolve on the laptop (more than 5 s)"
pass "replaced $NAS_IP with $NAS_IP2: the laptop resolves the new one after ${took} ms, its cache holds only the new one after $(($(stamp "$switched") - t0)) ms"

# 7. avahi-daemon on ca restarts (SIGTERM: goodbyes, then a new, empty daemon).
n=$(lines "$CA_LOG")
lan_avahi_stop ca
t0=$(now_ms)
lan_avahi_start ca || fail "avahi-daemon did not restart on ca"
back="$(log_wait "$CA_LOG" "$n" "state nas.local established" 15)" ||
  fail "nas.local was not published again after avahi-daemon restarted"
resolve_until "$NAS_IP2" 5 >/dev/null || fail "the laptop does not resolve nas.local after ca's avahi-daemon restarted"
pass "after avahi-daemon restarts, nas.local is published again $(($(stamp "$back") - t0)) ms after the restart began"

# The tool exits cleanly and its publication says goodbye on the way out.
m=$(lines "$LAPTOP_LOG")
ca_tool quit
for _ in $(seq 100); do kill -0 "$CA_TOOL_PID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$CA_TOOL_PID" 2>/dev/null && fail "the tool on ca did not exit on quit"
wait "$CA_TOOL_PID" || fail "the tool on ca exited with status $?"
if grep -qE "Sanitizer|runtime error" "$CA_LOG"; then fail "sanitizer report from the tool on ca"; fi
log_wait "$LAPTOP_LOG" "$m" "$(sighting "" "")" 5 >/dev/null ||
  fail "the laptop still holds nas.local after the tool on ca exited"
pass "the tool on ca exits cleanly; its records leave the laptop's cache"

# Nothing but our own commands changed what ca published.
published="$(grep -oE 'mDNS: published nas.local -> .*' "$CA_LOG" | sort -u | tr '\n' ';')"
[ "$published" = "mDNS: published nas.local -> $NAS_IP;mDNS: published nas.local -> $NAS_IP2;" ] ||
  fail "ca published something it was not told to: $published"
pass "ca only ever published $NAS_IP and $NAS_IP2"
