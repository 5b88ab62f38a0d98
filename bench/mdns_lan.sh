#!/usr/bin/env bash
# Discovery latency on the LAN in a box (tests/lan/lan.sh: network
# namespaces, each host with its own avahi-daemon), as root:
#  1. a device announcing itself (`homeca-enroll wait`) until homecad's API
#     lists it as waiting to pair; baseline: `avahi-publish` on the same host
#     until `avahi-browse -r` on the CA host resolves it (mDNS alone: the
#     responder must probe 3 x 250 ms before announcing, RFC 6762 8.1);
#  2. `homeca-enroll pair` by discovery, from start to certificate on disk
#     (the command exits after installing); baseline: the same with --ca URL.
# Target: under 2 s each. Prints every run, then min / median / max in ms.
# usage: bench/mdns_lan.sh [BUILD_DIR] [RUNS]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-build}" && pwd)"
runs="${2:-10}"
export HOMECAD="$build/webui/homecad" HOMECA="$build/ca/homeca"
export HOMECA_ENROLL="$build/enroll/cli/homeca-enroll"
source "$root/tests/lan/homeca_lan.sh"
lan_require_root_and_tools
lan_up ca device1 device2 || fail "could not build the LAN"
start_homecad
web_setup_admin

stats() {  # name, then the samples in ms
  local name="$1"
  shift
  printf '%s\n' "$@" | sort -n | awk -v n="$name" '
    { v[NR] = $1 } END { printf "%-44s runs %2d  min %5d  median %5d  max %5d ms\n",
                         n, NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
}

announce=()
baseline_announce=()
for i in $(seq "$runs"); do
  # Baseline: mDNS alone.
  lan_bg ca "$LAN_DIR/browse-$i.log" avahi-browse -rp _homeca-pair._tcp
  browse_pid=$LAN_LAST_PID
  sleep 0.3
  t0=$(now_ms)
  lan_bg device2 "$LAN_DIR/pub-$i.log" avahi-publish -s "base-$i" _homeca-pair._tcp 0 "id=base-$i"
  pub_pid=$LAN_LAST_PID
  until grep -q "^=.*base-$i" "$LAN_DIR/browse-$i.log"; do sleep 0.01; done
  baseline_announce+=($(($(now_ms) - t0)))
  kill "$pub_pid" "$browse_pid"

  # homeca: wait -> homecad's API. (The code is made before the clock
  # starts: Python's start-up alone is tens to hundreds of ms on a busy box.)
  code="$(python3 "$root/tests/lan/device_code.py")"
  t0=$(now_ms)
  lan_bg device2 "$LAN_DIR/wait-$i.log" "$HOMECA_ENROLL" wait --id "bench-$i" \
    --code "$code" --dir "$LAN_DIR/wait-$i"
  wait_pid=$LAN_LAST_PID
  until api_get /api/v1/discovery | grep -q "\"bench-$i\""; do sleep 0.02; done
  announce+=($(($(now_ms) - t0)))
  kill "$wait_pid"
  echo "run $i: announce -> API ${announce[-1]} ms (avahi alone ${baseline_announce[-1]} ms)"
done

pair=()
pair_url=()
for i in $(seq "$runs"); do
  code="$(ca_code_for "disc$i")"
  t0=$(now_ms)
  lan_run device1 "$HOMECA_ENROLL" pair --code "$code" --dir "$LAN_DIR/disc-$i" >/dev/null ||
    fail "pairing by discovery failed"
  pair+=($(($(now_ms) - t0)))
  [ -s "$LAN_DIR/disc-$i/cert.pem" ] || fail "no certificate on disk"
  code="$(ca_code_for "url$i")"
  t0=$(now_ms)
  lan_run device1 "$HOMECA_ENROLL" pair --code "$code" --ca "https://$(lan_ip ca):8443" \
    --dir "$LAN_DIR/url-$i" >/dev/null || fail "pairing with --ca failed"
  pair_url+=($(($(now_ms) - t0)))
  echo "run $i: pair by discovery ${pair[-1]} ms (with --ca URL ${pair_url[-1]} ms)"
done

echo
stats "announce -> waiting in API (homeca)" "${announce[@]}"
stats "announce -> resolved (avahi-publish/browse)" "${baseline_announce[@]}"
stats "pair by discovery -> cert on disk" "${pair[@]}"
stats "pair with --ca URL -> cert on disk" "${pair_url[@]}"
