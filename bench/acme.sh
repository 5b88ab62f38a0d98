#!/usr/bin/env bash
# ACME issuance cost: homecad's CPU per certificate that Debian's lego gets
# through /acme/, with an ES256 (ec256) and an RS256 (rsa2048) account key,
# side by side with Debian's pebble driven by the same lego in the same run,
# and with `openssl speed` for the floor of the signatures involved.
#
# usage: bench/acme.sh [BUILD_DIR] [CERTIFICATES per key type]   (as root)
# Needs: lego, pebble, openssl, unshare. ca.home.arpa resolves to 127.0.0.1
# only inside this script's private mount namespace (/etc/hosts bind-mounted).
#
# CPU comes from /proc/<pid>/stat (utime + stime) of the server alone, read
# after one warm-up certificate, so account creation is not in the figure.
# Wall time is per `lego renew` process (start, TLS, order, finalize,
# download, write files) and so includes lego's own start-up.
set -euo pipefail
cd "$(dirname "$0")/.."
# Arguments travel through the environment: the namespace re-runs this
# script without them.
export ACME_BENCH_BUILD="${ACME_BENCH_BUILD:-$(realpath "${1:-build}")}"
export ACME_BENCH_N="${ACME_BENCH_N:-${2:-200}}"
export HOMECAD="$ACME_BENCH_BUILD/webui/homecad" HOMECA="$ACME_BENCH_BUILD/ca/homeca"
build="$ACME_BENCH_BUILD"
n="$ACME_BENCH_N"
# The ACME tests' stage: a private mount namespace with ca.home.arpa on
# loopback, homecad on a free port, its root in $acme_work/root.pem.
source tests/e2e/acme_e2e_lib.sh
acme_enter_namespace "$0" lego pebble openssl curl
work="$acme_work"
free_port() { acme_free_port; }
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
now_ns() { date +%s%N; }

# ---- the floor: what the signatures of one issuance cost on this machine ----
rates() { awk -v k="$1" '$0 ~ k { print $(NF-1), $NF; exit }'; }
p256="$(openssl speed -seconds 3 ecdsap256 2>/dev/null | rates nistp256)"
rsa="$(openssl speed -seconds 3 rsa2048 2>/dev/null | rates 'rsa 2048')"
# One ES256 issuance verifies the JWS of each request (new order, finalize,
# download: 3, plus the authorization lego fetches: 4), verifies the CSR's
# self-signature, and signs the certificate once.
floor_es=$(awk -v s="${p256% *}" -v v="${p256#* }" 'BEGIN { printf "%.3f", 1000 * (5 / v + 1 / s) }')
# RS256: the four JWS checks are RSA verifications; the CSR (lego's rsa2048
# certificate key) one more; the certificate is still signed with P-256.
floor_rs=$(awk -v s="${p256% *}" -v rv="${rsa#* }" 'BEGIN { printf "%.3f", 1000 * (5 / rv + 1 / s) }')
echo "openssl speed ecdsap256: sign/s verify/s = $p256"
echo "openssl speed rsa2048:   sign/s verify/s = $rsa"
echo "signature floor per certificate: ES256 ${floor_es} ms, RS256 ${floor_rs} ms"
echo

# ---- homecad ----
# Every renewal here is one device's: lift its daily ACME limit (default 10).
ACME_E2E_CONF=$'[acme]\ncertificates_per_day = 100000' acme_start_homecad
port=$acme_port
homecad_pid=${acme_pids[0]}

# ---- pebble: EAB required, authorizations reused (like homeca's, already
# valid), the validation authority always says yes without sleeping ----
pebble_port=$(free_port)
pebble_mgmt_port=$(free_port)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=pebble -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/pebble-key.pem" -out "$work/pebble-cert.pem" 2>/dev/null
pebble_kid=bench-kid
pebble_hmac=$(openssl rand 32 | basenc --base64url | tr -d '=\n')
cat >"$work/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$pebble_port",
  "managementListenAddress": "127.0.0.1:$pebble_mgmt_port",
  "certificate": "$work/pebble-cert.pem", "privateKey": "$work/pebble-key.pem",
  "httpPort": $(free_port), "tlsPort": $(free_port), "ocspResponderURL": "",
  "externalAccountBindingRequired": true,
  "externalAccountMACKeys": {"$pebble_kid": "$pebble_hmac"}}}
JSON
PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=100 \
  pebble -config "$work/pebble.json" >"$work/pebble.log" 2>&1 &
pebble_pid=$!
acme_track_pid "$pebble_pid"
for _ in $(seq 100); do grep -q "Listening on" "$work/pebble.log" && break; sleep 0.1; done
# lego trusts homecad's root and pebble's listener; the certificates are
# judged against homecad's root or pebble's own issuing root.
cat "$work/root.pem" "$work/pebble-cert.pem" >"$work/trust.pem"
curl -sSk "https://127.0.0.1:$pebble_mgmt_port/roots/0" >"$work/pebble-root.pem"
cat "$work/root.pem" "$work/pebble-root.pem" >"$work/roots.pem"

# Runs lego against SERVER: one certificate to warm up (registers the
# account), then N renewals, measuring PID's CPU and the wall time.
# Prints "cpu_ms_per_cert wall_ms_per_cert".
measure() {
  local server=$1 pid=$2 key_type=$3 kid=$4 hmac=$5 name=$6 dir=$7
  shift 7
  local lego=(lego --accept-tos --email admin@example.com --server "$server" --path "$dir" --key-type "$key_type"
    --eab --kid "$kid" --hmac "$hmac" --domains "$name" --http --http.port "127.0.0.1:$(free_port)")
  LEGO_CA_CERTIFICATES="$work/trust.pem" "${lego[@]}" run >"$dir.log" 2>&1 ||
    { echo "lego run failed: $(tail -5 "$dir.log")" >&2; exit 1; }
  local before start i first_serial
  first_serial=$(openssl x509 -noout -serial -in "$dir/certificates/$name.crt")
  before=$(cpu_ticks "$pid")
  start=$(now_ns)
  for ((i = 0; i < n; i++)); do
    LEGO_CA_CERTIFICATES="$work/trust.pem" "${lego[@]}" renew --days 100000 --no-random-sleep \
      >>"$dir.log" 2>&1 || { echo "lego renew failed: $(tail -5 "$dir.log")" >&2; exit 1; }
  done
  local wall=$(($(now_ns) - start)) ticks=$(($(cpu_ticks "$pid") - before))
  openssl verify -purpose sslserver -verify_hostname "$name" -CAfile "$work/roots.pem" \
    -untrusted "$dir/certificates/$name.issuer.crt" "$dir/certificates/$name.crt" >/dev/null ||
    { echo "the last certificate from $server does not verify" >&2; exit 1; }
  [[ $(openssl x509 -noout -serial -in "$dir/certificates/$name.crt") != "$first_serial" ]] ||
    { echo "lego renew did not renew against $server" >&2; exit 1; }
  local renewed
  renewed=$(grep -c "Server responded with a certificate" "$dir.log")
  [[ $renewed -eq $((n + 1)) ]] ||
    { echo "$server issued $renewed certificates, not $((n + 1))" >&2; exit 1; }
  awk -v t="$ticks" -v hz="$clk_tck" -v w="$wall" -v n="$n" \
    'BEGIN { printf "%.3f %.1f\n", 1000 * t / hz / n, w / 1e6 / n }'
}

# ACME_BENCH_PERF=FILE: a perf profile of homecad over the whole run.
# ACME_BENCH_KEYS="ec256": only these key types (default: ec256 rsa2048).
if [[ -n "${ACME_BENCH_PERF:-}" ]]; then
  perf record -F 1999 --call-graph "${ACME_BENCH_PERF_CALLGRAPH:-fp}" -p "$homecad_pid" -o "$ACME_BENCH_PERF" >/dev/null 2>&1 &
  acme_track_pid "$!"
  sleep 1
fi
echo "| server | account key | certificates | server CPU per certificate | wall per certificate (lego process) |"
echo "|---|---|---|---|---|"
for key_type in ${ACME_BENCH_KEYS:-ec256 rsa2048}; do
  alg=$([[ $key_type == ec256 ]] && echo ES256 || echo RS256)
  label="nas-$key_type"
  added=$("$build/ca/homeca" pair add --acme --name "$label" --ca-url "https://ca.home.arpa:$port" \
    --data-dir="$work/ca")
  kid=$(sed -n 's/^ *EAB key id: *//p' <<<"$added")
  hmac=$(sed -n 's/^ *EAB HMAC key: *//p' <<<"$added")
  read -r cpu wall < <(measure "https://ca.home.arpa:$port/acme/directory" "$homecad_pid" \
    "$key_type" "$kid" "$hmac" "$label.home.arpa" "$work/lego-homecad-$key_type")
  echo "| homecad | $alg ($key_type) | $n | $cpu ms | $wall ms |"
  read -r cpu wall < <(measure "https://127.0.0.1:$pebble_port/dir" "$pebble_pid" \
    "$key_type" "$pebble_kid" "$pebble_hmac" "$label.example.com" "$work/lego-pebble-$key_type")
  echo "| pebble | $alg ($key_type) | $n | $cpu ms | $wall ms |"
done

# ---- what the transport alone costs: each lego process opens one new TLS
# connection, so no server can go below one handshake per certificate ----
# homecad: one new connection per curl process with six GETs of the
# directory (lego makes six requests per renewal), no ACME work.
transport_ticks() {
  local before i urls=()
  for i in 1 2 3 4 5 6; do urls+=(-o /dev/null "https://ca.home.arpa:$port/acme/directory"); done
  before=$(cpu_ticks "$homecad_pid")
  for ((i = 0; i < n; i++)); do curl -sS --cacert "$work/root.pem" "${urls[@]}"; done
  echo $(($(cpu_ticks "$homecad_pid") - before))
}
# openssl s_server, the same P-256 certificate type and one ticket, one GET.
s_server_ticks() {
  local p pid before i
  p=$(free_port)
  openssl s_server -quiet -accept "127.0.0.1:$p" -cert "$work/pebble-cert.pem" \
    -key "$work/pebble-key.pem" -www -num_tickets 1 >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -sk -o /dev/null "https://127.0.0.1:$p/" && break; sleep 0.1; done
  before=$(cpu_ticks "$pid")
  for ((i = 0; i < n; i++)); do curl -sS --cacert "$work/pebble-cert.pem" -o /dev/null "https://127.0.0.1:$p/"; done
  echo $(($(cpu_ticks "$pid") - before))
  # Run in a command substitution: the cleanup list would not see it.
  kill "$pid" && wait "$pid" 2>/dev/null || true
}
per_conn() { awk -v t="$1" -v hz="$clk_tck" -v n="$n" 'BEGIN { printf "%.3f", 1000 * t / hz / n }'; }
echo
echo "transport alone, server CPU per new TLS connection ($n connections):"
echo "  homecad, six GETs of the directory: $(per_conn "$(transport_ticks)") ms"
echo "  openssl s_server, one GET:          $(per_conn "$(s_server_ticks)") ms"

echo
echo "homecad VmHWM: $(awk '/VmHWM/ { print $2, $3 }' "/proc/$homecad_pid/status")"
echo "pebble VmHWM:  $(awk '/VmHWM/ { print $2, $3 }' "/proc/$pebble_pid/status")"
