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

# ---- The web UI and its JSON API, driven with curl from the CA host ----

kAdminPassword="lan test password 1234"

# curl on the CA host against homecad's HTTPS side, with the admin's cookie
# jar. The certificate is homecad's own (from the CA under test); -k because
# this checks the UI's content, not its TLS (tests/webui and the browser tests
# do that).
web_curl() { lan_run ca curl -sk --max-time 10 -c "$LAN_DIR/jar" -b "$LAN_DIR/jar" "$@"; }

# The value of the first <input name="csrf"> in HTML $1.
csrf_of() { grep -o 'name="csrf" value="[^"]*"' <<<"$1" | head -n 1 | sed 's/.*value="//; s/"$//'; }

# First-run setup through the link in homecad's log, then an API token made in
# Settings: sets API_TOKEN; the cookie jar stays logged in for the pages.
web_setup_admin() {
  local link path page token status
  lan_wait_for_line "$CA_LOG" "first-run setup: " 10 || fail "no first-run setup link in the log"
  link="$(grep -o 'first-run setup: https://[^ ]*' "$CA_LOG" | head -n 1 | cut -d' ' -f3)"
  path="/${link#https://*/}"
  page="$(web_curl "https://127.0.0.1:8443$path")"
  token="$(grep -o 'name="token" value="[^"]*"' <<<"$page" | sed 's/.*value="//; s/"$//')"
  status="$(web_curl -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$(csrf_of "$page")" \
    --data-urlencode "token=$token" --data-urlencode "password=$kAdminPassword" \
    --data-urlencode "password-confirm=$kAdminPassword" https://127.0.0.1:8443/setup)"
  [ "$status" = 303 ] || fail "first-run setup answered $status"
  page="$(web_curl https://127.0.0.1:8443/settings)"
  page="$(web_curl --data-urlencode "csrf=$(csrf_of "$page")" --data-urlencode "label=lan test" \
    https://127.0.0.1:8443/settings/tokens -L)"
  API_TOKEN="$(grep -o 'data-testid="new-token">[^<]*' <<<"$page" | sed 's/.*>//')"
  [ -n "$API_TOKEN" ] || fail "could not create an API token"
}

# GET on the JSON API: prints the body.
api_get() {
  lan_run ca curl -sk --max-time 10 -H "Authorization: Bearer $API_TOKEN" "https://127.0.0.1:8443$1"
}

# Polls GET /api/v1/discovery until the Python expression $1 (over `d`, the
# parsed JSON) is true, for at most $2 seconds. Prints the ms it took.
api_discovery_until() {
  local expr="$1" seconds="${2:-10}" start deadline body
  start=$(now_ms)
  deadline=$((start + seconds * 1000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    body="$(api_get /api/v1/discovery)"
    if python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if ($expr) else 1)" \
      "$body" 2>/dev/null; then
      echo $(($(now_ms) - start))
      return 0
    fi
    sleep 0.05
  done
  echo "last answer: $body" >&2
  return 1
}

# The Devices page in headless Chromium on the CA host (devices_page_browser.js:
# verified TLS with the CA's root, the admin's session from web_setup_admin).
# Arguments: --waiting ID / --text TEXT, as that script takes them. Without
# node, Chromium or playwright-core (.ci/deps installs them) the test stops
# here as skipped (exit 77) with the reason, after its other checks passed.
browser_devices_page() {
  command -v node >/dev/null 2>&1 || lan_skip "the browser part needs node (apt-get install nodejs)"
  local artifacts="${LAN_ARTIFACTS:-$LAN_DIR/artifacts}" out status
  out="$(lan_run ca node "$here/devices_page_browser.js" --port 8443 --root "$CA_DATA/root.pem" \
    --jar "$LAN_DIR/jar" --artifacts "$artifacts" "$@" 2>&1)"
  status=$?
  echo "$out"
  [ "$status" -eq 77 ] && lan_skip "browser part: $(grep -m1 '^SKIP' <<<"$out")"
  [ "$status" -eq 0 ] || fail "the Devices page in Chromium (screenshots in $artifacts)"
}

# ---- Names that resolve (names_resolve_test.sh, bench/names_lan.sh) ----

# On a LAN with hosts ca, nasbox and laptop: homecad exporting its name map
# to $NAMES, dnsmasq on the ca host reading it (hostsdir=, local=/home.arpa/,
# as the package's drop-in does), the laptop resolving as a home machine does
# (DNS from the box, .local through nss-mdns), and a device paired as "nas"
# on nasbox serving HTTPS on 443 with its certificate and running
# `homeca-enroll run`. Sets NAMES and DEV; logs in the admin (API_TOKEN).
start_names_journey() {
  NAMES="$LAN_DIR/names"
  printf '[names]\nexport_dir = %s\n' "$NAMES" >"$LAN_DIR/homecad.conf"
  start_homecad --config="$LAN_DIR/homecad.conf"
  web_setup_admin
  for _ in $(seq 100); do [ -f "$NAMES/dnsmasq/homeca.hosts" ] && break; sleep 0.05; done
  [ -f "$NAMES/dnsmasq/homeca.hosts" ] || fail "homecad wrote no export in $NAMES"
  lan_bg ca "$LAN_DIR/dnsmasq.log" dnsmasq --keep-in-foreground --log-facility=- \
    --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
    --listen-address="$(lan_ip ca)" --port=53 --hostsdir="$NAMES/dnsmasq" --local=/home.arpa/ \
    --user=root --group=root --pid-file=
  lan_wait_for_line "$LAN_DIR/dnsmasq.log" "started, version" 10 || fail "dnsmasq did not start"

  echo "nameserver $(lan_ip ca)" >"$LAN_DIR/laptop-resolv.conf"
  printf 'hosts: files mdns4_minimal [NOTFOUND=return] dns\n' >"$LAN_DIR/mdns-nsswitch.conf"
  lan_run laptop mount --bind "$LAN_DIR/laptop-resolv.conf" /etc/resolv.conf || fail "resolv.conf"
  lan_run laptop mount --bind "$LAN_DIR/mdns-nsswitch.conf" /etc/nsswitch.conf || fail "nsswitch"
  # The device finds the box by its .local name too (its renew URL names it).
  lan_run nasbox mount --bind "$LAN_DIR/mdns-nsswitch.conf" /etc/nsswitch.conf || fail "nsswitch"
  lan_run laptop getent hosts nas.home.arpa >/dev/null && fail "nas.home.arpa resolves before pairing"
  pass "before pairing, nas.home.arpa does not resolve on the laptop"

  local code out
  code="$(ca_code_for nas)"
  [ -n "$code" ] || fail "homeca pair add gave no code"
  DEV="$LAN_DIR/nas"
  out="$(lan_run nasbox "$HOMECA_ENROLL" pair --code "$code" --dir "$DEV" 2>&1)" || fail "pairing: $out"
  grep -q "nas.local" <<<"$out" || fail "the device did not get nas.local: $out"
  lan_bg nasbox "$LAN_DIR/s_server.log" openssl s_server -accept 443 -cert "$DEV/cert.pem" \
    -key "$DEV/key.pem" -cert_chain "$DEV/chain.pem" -www -quiet
  # On a busy machine s_server takes a moment to listen.
  for _ in $(seq 200); do
    [ -n "$(lan_run nasbox ss -ltnH 'sport = :443' 2>/dev/null)" ] && break
    sleep 0.05
  done
  [ -n "$(lan_run nasbox ss -ltnH 'sport = :443' 2>/dev/null)" ] || fail "s_server did not listen"
  lan_bg nasbox "$LAN_DIR/enroll-run.log" "$HOMECA_ENROLL" run --dir "$DEV"
  pass "nas paired from nasbox ($(lan_ip nasbox)) and serves HTTPS on 443"
}

# Polls `getent ahostsv4 NAME` on the laptop until it answers ADDRESS, for at
# most $3 seconds; prints the milliseconds it took.
resolve_until() {
  local name="$1" want="$2" seconds="${3:-10}" start deadline got=""
  start=$(now_ms)
  deadline=$((start + seconds * 1000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    got="$(lan_run laptop getent ahostsv4 "$name" 2>/dev/null | awk 'NR == 1 {print $1}')"
    if [ "$got" = "$want" ]; then
      echo $(($(now_ms) - start))
      return 0
    fi
    sleep 0.02
  done
  echo "last answer for $name: '${got:-nothing}'" >&2
  return 1
}

# The HTTP status of https://NAME/ fetched on the laptop, verified with the root.
https_ok() {
  lan_run laptop curl -s --max-time 5 --cacert "$CA_DATA/root.pem" -o /dev/null -w '%{http_code}' \
    "https://$1/"
}
