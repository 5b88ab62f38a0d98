#!/usr/bin/env bash
# End to end: certbot (Debian 12) enrolls against a real homecad on loopback
# through ACME with the EAB key id and HMAC key of `homeca pair add --acme`,
# then renews; openssl judges each certificate for its name. ca.home.arpa
# resolves to 127.0.0.1 through an /etc/hosts bind-mounted in a private mount
# namespace of this test. Needs root for the namespace (skips with 77).
# Env: HOMECAD, HOMECA (built binaries).
set -euo pipefail

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

if [[ "${ACME_E2E_IN_NS:-}" != 1 ]]; then
  command -v certbot >/dev/null || skip "certbot is not installed (apt-get install certbot)"
  unshare --mount --propagation private true 2>/dev/null ||
    skip "cannot create a mount namespace here"
  ACME_E2E_IN_NS=1 exec unshare --mount --propagation private -- bash "$0" "$@"
fi

work=$(mktemp -d)
daemon_pid=""
cleanup() {
  [[ -n "$daemon_pid" ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  [[ -n "${ACME_E2E_KEEP:-}" ]] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# ca.home.arpa (the daemon's default name) is this machine, in here only.
cp /etc/hosts "$work/hosts"
echo "127.0.0.1 ca.home.arpa nas.home.arpa" >>"$work/hosts"
mount --bind "$work/hosts" /etc/hosts

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/homecad.conf" <<CONF
[homecad]
public_url = https://ca.home.arpa:$port
CONF
"$HOMECAD" --dev --data-dir="$work/ca" --config="$work/homecad.conf" --https-port="$port" \
  --http-port=0 >"$work/homecad.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do
  grep -q "ACME directory at" "$work/homecad.log" && break
  sleep 0.1
done
grep -q "ACME directory at https://ca.home.arpa:$port/acme/directory" "$work/homecad.log" ||
  fail "homecad did not announce its ACME directory: $(cat "$work/homecad.log")"

"$HOMECA" export-root --format pem --out "$work/root.pem" --data-dir="$work/ca" >/dev/null
added=$("$HOMECA" pair add --acme --name nas --ca-url "https://ca.home.arpa:$port" \
  --data-dir="$work/ca")
kid=$(sed -n 's/^ *EAB key id: *//p' <<<"$added")
hmac=$(sed -n 's/^ *EAB HMAC key: *//p' <<<"$added")
[[ -n "$kid" && -n "$hmac" ]] || fail "pair add --acme printed no credentials: $added"
grep -q -- "--eab-kid $kid" <<<"$added" || fail "no certbot recipe: $added"

directory="https://ca.home.arpa:$port/acme/directory"
certbot_run() {
  REQUESTS_CA_BUNDLE="$work/root.pem" certbot --non-interactive --no-random-sleep-on-renew \
    --config-dir "$work/le/config" --work-dir "$work/le/work" --logs-dir "$work/le/logs" \
    --server "$directory" "$@"
}
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

judge() {
  local cert="$1"
  openssl verify -purpose sslserver -verify_hostname nas.home.arpa -CAfile "$work/root.pem" \
    -untrusted "$(dirname "$cert")/chain.pem" "$cert" || fail "openssl refuses $cert"
}

certbot_run certonly --standalone --preferred-challenges http --http-01-port "$http_port" \
  --eab-kid "$kid" --eab-hmac-key "$hmac" --agree-tos --register-unsafely-without-email \
  -d nas.home.arpa >"$work/certbot1.log" 2>&1 ||
  fail "certbot certonly failed: $(cat "$work/certbot1.log"; tail -50 "$work/le/logs/letsencrypt.log")"
live="$work/le/config/live/nas.home.arpa"
judge "$live/cert.pem"
first_serial=$(openssl x509 -in "$live/cert.pem" -noout -serial)

# The device is on record like any other, and the binding's key is spent.
pairs=$("$HOMECA" pair list --data-dir="$work/ca")
grep -q "paired" <<<"$pairs" || fail "the pairing is not paired: $pairs"

# Renewal: a new order for the same account renews the device's lineage.
certbot_run renew --force-renewal --preferred-challenges http --http-01-port "$http_port" \
  >"$work/certbot2.log" 2>&1 ||
  fail "certbot renew failed: $(cat "$work/certbot2.log"; tail -50 "$work/le/logs/letsencrypt.log")"
judge "$live/cert.pem"
[[ "$(openssl x509 -in "$live/cert.pem" -noout -serial)" != "$first_serial" ]] ||
  fail "renew kept the old certificate"

# --dry-run: certbot deactivates its authorizations afterwards.
certbot_run renew --dry-run --preferred-challenges http --http-01-port "$http_port" \
  >"$work/certbot3.log" 2>&1 ||
  fail "certbot renew --dry-run failed: $(cat "$work/certbot3.log"; tail -50 "$work/le/logs/letsencrypt.log")"

# A second account key with the same key id is refused.
if certbot_run register --eab-kid "$kid" --eab-hmac-key "$hmac" --agree-tos \
  --register-unsafely-without-email --config-dir "$work/le2" >"$work/certbot4.log" 2>&1; then
  fail "a second account registered with a used key id"
fi
grep -qi "unauthorized\|already bound" "$work/certbot4.log" "$work/le/logs/letsencrypt.log" ||
  fail "the second account was not refused as unauthorized: $(cat "$work/certbot4.log")"
# The HMAC key is a secret: shown once to the admin, never in the daemon's log.
if grep -qF "$hmac" "$work/homecad.log"; then fail "homecad logged the EAB HMAC key"; fi
echo "PASS: certbot enrolled, renewed and dry-ran through ACME; a second key was refused"
