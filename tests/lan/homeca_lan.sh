# homeca on the LAN in a box: helpers shared by the tests/lan/*_test.sh
# scripts, on top of lan.sh. The scripts get the programs under test from the
# environment (set by CTest, see CMakeLists.txt): HOMECAD, HOMECA,
# HOMECA_ENROLL.
#
# Every check goes through `check`/`fail`, which print what was expected; a
# script exits non-zero at the first failure, and lan_down tears the LAN down.

set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tests/lan/lan.sh
source "$here/lan.sh"

: "${HOMECAD:?set HOMECAD to the homecad binary}"
: "${HOMECA:?set HOMECA to the homeca binary}"
: "${HOMECA_ENROLL:?set HOMECA_ENROLL to the homeca-enroll binary}"
# Absolute: commands run inside the hosts' namespaces, from another directory.
HOMECAD="$(realpath "$HOMECAD")"
HOMECA="$(realpath "$HOMECA")"
HOMECA_ENROLL="$(realpath "$HOMECA_ENROLL")"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

pass() { echo "ok: $*"; }

# Shows the daemons' logs when a test fails (lan_down calls it).
lan_on_failure() {
  local f
  for f in "$LAN_DIR"/*.log "$LAN_DIR"/*/avahi.log; do
    [ -s "$f" ] || continue
    echo "---- $f (last 30 lines)" >&2
    tail -n 30 "$f" >&2
  done
}

# Seconds since the epoch with milliseconds (for the timings we print).
now_ms() { date +%s%3N; }

# Starts homecad on host "ca" with mDNS on, its data in $LAN_DIR/ca-data,
# and waits until it has published _homeca._tcp.
start_homecad() {
  CA_DATA="$LAN_DIR/ca-data"
  CA_LOG="$LAN_DIR/homecad.log"
  lan_bg ca "$CA_LOG" "$HOMECAD" --dev --data-dir="$CA_DATA" --bind=0.0.0.0 --https-port=8443 \
    --mdns=on "$@"
  HOMECAD_PID=$LAN_LAST_PID
  lan_wait_for_line "$CA_LOG" "mDNS: published _homeca._tcp as 'homeca on ca'" 20 ||
    fail "homecad did not publish _homeca._tcp"
}

# A CA-made pairing code for the device name $1 (printed once by homeca).
ca_code_for() {
  lan_run ca "$HOMECA" pair add --name "$1" --data-dir "$CA_DATA" |
    grep -oE '[0-9]{4}-[0-9]{4}-[0-9]{4}' | head -n 1
}

# The root's SHA-256 in lower-case hex, from a PEM file.
sha256_of_pem() {
  openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1
}

# Polls `avahi-browse -rtp TYPE` on host $1 until its output matches the
# extended regex $3 (or, with $4 = absent, until it no longer does), for at
# most $5 seconds (default 10). Prints how long it took, in ms.
browse_until() {
  local host="$1" type="$2" pattern="$3" want="${4:-present}" seconds="${5:-10}"
  local start deadline out
  start=$(now_ms)
  deadline=$((start + seconds * 1000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    out="$(lan_run "$host" avahi-browse -rtp "$type" 2>/dev/null)"
    if [ "$want" = present ] && grep -qE -- "$pattern" <<<"$out"; then
      echo $(($(now_ms) - start))
      return 0
    fi
    if [ "$want" = absent ] && ! grep -qE -- "$pattern" <<<"$out"; then
      echo $(($(now_ms) - start))
      return 0
    fi
    sleep 0.1
  done
  return 1
}
