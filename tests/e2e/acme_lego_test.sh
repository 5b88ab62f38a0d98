#!/usr/bin/env bash
# End to end: lego (Debian 12, 4.9.1) registers with the EAB of
# `homeca pair add --acme`, then for each certificate key type it offers
# (ec256, ec384, rsa2048) obtains a certificate for nas.home.arpa and renews
# it; a reload lowers acme.certificates_per_day to those five renewals and
# the next renew is refused as rateLimited; then it revokes the last. openssl
# judges every certificate. lego trusts the root through
# LEGO_CA_CERTIFICATES. The stage (namespace, homecad, pairing) is
# acme_e2e_lib.sh. Env: HOMECAD, HOMECA.
set -euo pipefail
source "$(dirname "$0")/acme_e2e_lib.sh"
acme_enter_namespace "$0" lego
acme_start_homecad
acme_add_pairing

# The http-01 solver is configured (lego insists on one) on a port nothing
# would reach: the authorizations are valid already, so it never listens.
http_port=$(acme_free_port)
lego_run() {
  local log="$1"
  shift
  LEGO_CA_CERTIFICATES="$acme_work/root.pem" timeout 60 lego --accept-tos \
    --server "$acme_directory" --path "$acme_work/lego" --email admin@home.arpa \
    --eab --kid "$acme_kid" --hmac "$acme_hmac" \
    --http --http.port "127.0.0.1:$http_port" --domains nas.home.arpa "$@" >"$log" 2>&1 ||
    fail "lego $* failed: $(cat "$log")"
}

cert="$acme_work/lego/certificates/nas.home.arpa.crt"
for key_type in ec256 ec384 rsa2048; do
  lego_run "$acme_work/lego-run-$key_type.log" --key-type "$key_type" run
  acme_judge "$cert" "$acme_work/lego/certificates/nas.home.arpa.issuer.crt"
  case "$key_type" in
    ec256) want="ASN1 OID: prime256v1" ;;
    ec384) want="ASN1 OID: secp384r1" ;;
    rsa2048) want="Public-Key: (2048 bit)" ;;
  esac
  openssl x509 -in "$cert" -noout -text | grep -qF "$want" ||
    fail "the $key_type certificate does not carry a $want key"
  first=$(acme_serial "$cert")

  # --days 9999 makes any certificate due; --no-random-sleep keeps it quick.
  lego_run "$acme_work/lego-renew-$key_type.log" --key-type "$key_type" \
    renew --days 9999 --no-random-sleep
  acme_judge "$cert" "$acme_work/lego/certificates/nas.home.arpa.issuer.crt"
  [[ "$(acme_serial "$cert")" != "$first" ]] || fail "lego renew ($key_type) kept the old certificate"
  openssl x509 -in "$cert" -noout -text | grep -qF "$want" ||
    fail "the renewed $key_type certificate does not carry a $want key"
done

# The daily limit, lowered by a reload: the five renewals above are the
# day's five, so lego's next renew is refused as rateLimited, and nothing is
# issued.
printf '[acme]\ncertificates_per_day = 5\n' >>"$acme_work/homecad.conf"
kill -HUP "${acme_pids[0]}"
for _ in $(seq 50); do
  grep -q "reload: ACME directory at" "$acme_work/homecad.log" && break
  sleep 0.1
done
grep -q "reload: applied acme.certificates_per_day" "$acme_work/homecad.log" ||
  fail "homecad did not apply acme.certificates_per_day: $(cat "$acme_work/homecad.log")"
limited_serial=$(acme_serial "$cert")
if LEGO_CA_CERTIFICATES="$acme_work/root.pem" timeout 60 lego --accept-tos \
  --server "$acme_directory" --path "$acme_work/lego" --email admin@home.arpa \
  --eab --kid "$acme_kid" --hmac "$acme_hmac" --http --http.port "127.0.0.1:$http_port" \
  --domains nas.home.arpa --key-type rsa2048 renew --days 9999 --no-random-sleep \
  >"$acme_work/lego-limited.log" 2>&1; then
  fail "lego renewed past the daily limit: $(cat "$acme_work/lego-limited.log")"
fi
grep -q "urn:ietf:params:acme:error:rateLimited" "$acme_work/lego-limited.log" ||
  fail "lego's refused renew was not rateLimited: $(cat "$acme_work/lego-limited.log")"
[[ "$(acme_serial "$cert")" == "$limited_serial" ]] || fail "a certificate past the limit was saved"

# lego revoke: revokeCert signed by the account (kid).
revoked=$(acme_serial "$cert" | sed 's/^serial=//')
lego_run "$acme_work/lego-revoke.log" revoke
grep -qi "^$revoked " <<<"$("$HOMECA" list --status revoked --data-dir="$acme_work/ca")" ||
  fail "lego revoke left $revoked unrevoked: $(cat "$acme_work/lego-revoke.log")"

# The run and renewals all went through the one account lego registered.
accounts=$(find "$acme_work/lego/accounts" -name account.json | wc -l)
[[ "$accounts" == 1 ]] || fail "lego holds $accounts accounts, not 1"
acme_check_record
echo "PASS: lego ran and renewed with ec256, ec384 and rsa2048 keys through ACME, and met the daily limit"
