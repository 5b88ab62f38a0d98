#!/usr/bin/env bash
# How fast names follow a device that moves, on the LAN in a box
# (tests/lan/lan.sh), as root: the names journey of
# tests/lan/names_resolve_test.sh (homecad exporting to dnsmasq on the ca
# host, a laptop resolving through it and nss-mdns, a device paired as "nas"
# running `homeca-enroll run`), then RUNS renumberings of the device, each
# timed from the address change (`ip addr add` of the new one, `del` of the
# old) until the laptop's `getent` answers the new address, for
# nas.home.arpa (DNS: check-in, store, export, dnsmasq's inotify) and for
# nas.local (mDNS: check-in, store, homecad's avahi-daemon re-announcing,
# the laptop's avahi-daemon cache). The laptop polls every 20 ms.
# Target: under 5 s. Prints every run, then min / median / max in ms.
# usage: bench/names_lan.sh [BUILD_DIR] [RUNS]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-build}" && pwd)"
runs="${2:-10}"
export HOMECAD="$build/webui/homecad" HOMECA="$build/ca/homeca"
export HOMECA_ENROLL="$build/enroll/cli/homeca-enroll"
source "$root/tests/lan/homeca_lan.sh"
lan_require_root_and_tools
lan_up ca nasbox laptop || fail "could not build the LAN"
start_names_journey
resolve_until nas.local "$(lan_ip nasbox)" 15 >/dev/null || fail "nas.local never resolved"
lan_run nasbox sysctl -qw net.ipv4.conf.eth0.promote_secondaries=1

stats() {  # name, then the samples in ms
  local name="$1"
  shift
  printf '%s\n' "$@" | sort -n | awk -v n="$name" '
    { v[NR] = $1 } END { printf "%-36s runs %2d  min %5d  median %5d  max %5d ms\n",
                         n, NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
}

dns=()
mdns=()
old="$(lan_ip nasbox)"
for i in $(seq "$runs"); do
  new="$LAN_SUBNET.$((100 + i))"
  sleep 2  # let the last check-in's rate window pass, as a real move would
  t0=$(now_ms)
  lan_run nasbox ip addr add "$new/24" dev eth0
  lan_run nasbox ip addr del "$old/24" dev eth0
  resolve_until nas.home.arpa "$new" 30 >/dev/null || fail "run $i: nas.home.arpa did not follow"
  d=$(($(now_ms) - t0))
  resolve_until nas.local "$new" 30 >/dev/null || fail "run $i: nas.local did not follow"
  m=$(($(now_ms) - t0))
  echo "run $i: $old -> $new  nas.home.arpa ${d} ms  nas.local ${m} ms"
  dns+=("$d")
  mdns+=("$m")
  old="$new"
done
stats "move -> nas.home.arpa on the laptop" "${dns[@]}"
stats "move -> nas.local on the laptop" "${mdns[@]}"
