#!/usr/bin/env bash
# End to end: dehydrated (Debian 12, 0.7.0) with a config file naming
# homecad's directory and the EAB of `homeca pair add --acme`: --register
# --accept-terms, then -c signs nas.home.arpa, and -c --force renews it.
# dehydrated's hook must never be asked to deploy a challenge: the pairing is
# the authorization. Its curl trusts the root through CURL_OPTS. The stage is
# acme_e2e_lib.sh. Env: HOMECAD, HOMECA.
set -euo pipefail
source "$(dirname "$0")/acme_e2e_lib.sh"
acme_enter_namespace "$0" dehydrated
acme_start_homecad
acme_add_pairing
base="$acme_work/dehydrated"
mkdir -p "$base/wellknown"
echo "nas.home.arpa" >"$base/domains.txt"

# dehydrated calls its hook for every event; only a challenge is forbidden.
cat >"$base/hook.sh" <<HOOK
#!/usr/bin/env bash
case "\$1" in
  deploy_challenge|clean_challenge|invalid_challenge)
    echo "called: \$*" >>"$acme_work/hook.called"; exit 1 ;;
esac
exit 0
HOOK
chmod +x "$base/hook.sh"
cat >"$base/config" <<CONF
CA="$acme_directory"
EAB_KID="$acme_kid"
EAB_HMAC_KEY="$acme_hmac"
CHALLENGETYPE="http-01"
BASEDIR="$base"
WELLKNOWN="$base/wellknown"
HOOK="$base/hook.sh"
CONTACT_EMAIL="admin@home.arpa"
CURL_OPTS="--cacert $acme_work/root.pem"
KEYSIZE="2048"
KEY_ALGO="secp384r1"
CONF

dehydrated_run() {
  local log="$1"
  shift
  timeout 60 dehydrated --config "$base/config" "$@" >"$log" 2>&1 ||
    fail "dehydrated $* failed: $(cat "$log")"
}
dehydrated_run "$acme_work/register.log" --register --accept-terms
dehydrated_run "$acme_work/sign1.log" -c
cert="$base/certs/nas.home.arpa/cert.pem"
# An RSA-2048 account (RS256, dehydrated's only kind) and a P-384 certificate
# key: RSA-4096 keys, dehydrated's default, cost seconds each to make.
openssl x509 -in "$cert" -noout -text | grep -q "ASN1 OID: secp384r1" ||
  fail "dehydrated's certificate key is not P-384"
acme_judge "$cert" "$base/certs/nas.home.arpa/chain.pem"
acme_judge "$base/certs/nas.home.arpa/fullchain.pem"
first=$(acme_serial "$cert")

dehydrated_run "$acme_work/sign2.log" -c --force
acme_judge "$cert" "$base/certs/nas.home.arpa/chain.pem"
[[ "$(acme_serial "$cert")" != "$first" ]] || fail "dehydrated -c --force kept the old certificate"

acme_hook_never_called
acme_check_record
echo "PASS: dehydrated registered with EAB, signed and renewed through ACME"
