#!/usr/bin/env bash
# End to end: certbot (Debian 12) enrolls against a real homecad on loopback
# through ACME with the EAB key id and HMAC key of `homeca pair add --acme`,
# then renews; openssl judges each certificate for its name. The stage (a
# private mount namespace resolving ca.home.arpa, homecad, the pairing) is
# acme_e2e_lib.sh. Env: HOMECAD, HOMECA (built binaries).
set -euo pipefail
source "$(dirname "$0")/acme_e2e_lib.sh"
acme_enter_namespace "$0" certbot
acme_start_homecad
acme_add_pairing
work=$acme_work kid=$acme_kid hmac=$acme_hmac
grep -q -- "--eab-kid $kid" <<<"$acme_added" || fail "no certbot recipe: $acme_added"

certbot_run() {
  REQUESTS_CA_BUNDLE="$work/root.pem" timeout 90 certbot --non-interactive \
    --no-random-sleep-on-renew --config-dir "$work/le/config" --work-dir "$work/le/work" \
    --logs-dir "$work/le/logs" --server "$acme_directory" "$@"
}
http_port=$(acme_free_port)
judge() { acme_judge "$1" "$(dirname "$1")/chain.pem"; }

certbot_run certonly --standalone --preferred-challenges http --http-01-port "$http_port" \
  --eab-kid "$kid" --eab-hmac-key "$hmac" --agree-tos --register-unsafely-without-email \
  -d nas.home.arpa >"$work/certbot1.log" 2>&1 ||
  fail "certbot certonly failed: $(cat "$work/certbot1.log"; tail -50 "$work/le/logs/letsencrypt.log")"
live="$work/le/config/live/nas.home.arpa"
judge "$live/cert.pem"
first_serial=$(acme_serial "$live/cert.pem")

# Renewal: a new order for the same account renews the device's lineage.
certbot_run renew --force-renewal --preferred-challenges http --http-01-port "$http_port" \
  >"$work/certbot2.log" 2>&1 ||
  fail "certbot renew failed: $(cat "$work/certbot2.log"; tail -50 "$work/le/logs/letsencrypt.log")"
judge "$live/cert.pem"
[[ "$(acme_serial "$live/cert.pem")" != "$first_serial" ]] || fail "renew kept the old certificate"

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
# The device is paired, and the HMAC key (shown once) never reached the log.
acme_check_record
echo "PASS: certbot enrolled, renewed and dry-ran through ACME; a second key was refused"
