#!/usr/bin/env bash
# End to end: uacme (Debian 12, 1.7.4) registers with the EAB of
# `homeca pair add --acme` (-e KID:KEY), issues and reissues for
# nas.home.arpa, changes its account key (newkey, RFC 8555 keyChange) and
# issues with the new key, updates its contact, revokes a certificate
# with the certificate's key, then deactivates its account, after which homecad
# refuses it. uacme's challenge hook must never run: the pairing is the
# authorization. uacme reads the system trust store, so the root is added to
# it inside the test's mount namespace. The stage is acme_e2e_lib.sh.
# Env: HOMECAD, HOMECA.
set -euo pipefail
source "$(dirname "$0")/acme_e2e_lib.sh"
acme_enter_namespace "$0" uacme
acme_start_homecad
acme_add_pairing
acme_trust_in_system_store
hook=$(acme_forbidden_hook)
conf="$acme_work/uacme"

uacme_run() {
  local log="$1"
  shift
  timeout 60 uacme -v -a "$acme_directory" -c "$conf" -h "$hook" -y "$@" >"$log" 2>&1
}

# The account key is EC P-384 (ES384 signatures); the certificate key is
# uacme's default RSA-2048; newkey below moves the account to RSA-3072 (RS256).
uacme_run "$acme_work/new.log" -t EC -b 384 -e "$acme_kid:$acme_hmac" new admin@home.arpa ||
  fail "uacme new failed: $(cat "$acme_work/new.log")"
uacme_run "$acme_work/issue1.log" issue nas.home.arpa ||
  fail "uacme issue failed: $(cat "$acme_work/issue1.log")"
cert="$conf/nas.home.arpa/cert.pem"
acme_judge "$cert"

# A forced reissue (-f): a renewal of the device's lineage, judged, and new.
reissue() {
  local log="$1" what="$2" before
  before=$(acme_serial "$cert")
  # uacme keeps the replaced certificate as cert-<unix time>.pem and fails
  # when that name is taken: two reissues within one second would collide.
  rm -f "$conf"/nas.home.arpa/cert-*.pem
  uacme_run "$log" -f issue nas.home.arpa || fail "uacme $what failed: $(cat "$log")"
  acme_judge "$cert"
  [[ "$(acme_serial "$cert")" != "$before" ]] || fail "uacme $what kept the old certificate"
}
reissue "$acme_work/issue2.log" "issue -f"

# keyChange: the account moves to a new key, and issues with it.
old_key=$(openssl pkey -in "$conf/private/key.pem" -pubout)
uacme_run "$acme_work/newkey.log" -t RSA -b 3072 newkey ||
  fail "uacme newkey failed: $(cat "$acme_work/newkey.log")"
[[ "$(openssl pkey -in "$conf/private/key.pem" -pubout)" != "$old_key" ]] ||
  fail "uacme newkey left the old account key in place"
openssl pkey -in "$conf/private/key.pem" -noout -text | grep -q "3072 bit" ||
  fail "uacme's new account key is not RSA-3072"
reissue "$acme_work/issue3.log" "issue with the new key"
# The old key no longer names an account.
cp -r "$conf" "$acme_work/uacme-old"
cp "$(ls "$conf"/private/key-*.pem | head -1)" "$acme_work/uacme-old/private/key.pem"
if timeout 60 uacme -v -a "$acme_directory" -c "$acme_work/uacme-old" -h "$hook" -n -f \
  issue nas.home.arpa >"$acme_work/oldkey.log" 2>&1; then
  fail "the account's old key still issues after keyChange"
fi

# Contact update, then a revocation signed by the certificate's own key
# (revokeCert with a jwk, RFC 8555 7.6), not the account's.
uacme_run "$acme_work/update.log" update ops@home.arpa ||
  fail "uacme update failed: $(cat "$acme_work/update.log")"
cp "$cert" "$acme_work/revoked.pem"
uacme_run "$acme_work/revoke.log" -r 4 revoke "$cert" "$conf/private/nas.home.arpa/key.pem" ||
  fail "uacme revoke with the certificate key failed: $(cat "$acme_work/revoke.log")"
revoked=$(acme_serial "$acme_work/revoked.pem" | sed 's/^serial=//')
grep -qi "^$revoked " <<<"$("$HOMECA" list --status revoked --data-dir="$acme_work/ca")" ||
  fail "uacme's revocation left $revoked unrevoked"

# Deactivation is for good: the account is refused afterwards.
uacme_run "$acme_work/deactivate.log" deactivate ||
  fail "uacme deactivate failed: $(cat "$acme_work/deactivate.log")"
if uacme_run "$acme_work/issue4.log" -f issue nas.home.arpa; then
  fail "a deactivated account still issues: $(cat "$acme_work/issue4.log")"
fi
grep -qi "unauthorized\|deactivated\|accountDoesNotExist" "$acme_work/issue4.log" ||
  fail "the deactivated account was not refused as such: $(cat "$acme_work/issue4.log")"

acme_hook_never_called
acme_check_record
echo "PASS: uacme registered, issued, reissued, changed its key and deactivated through ACME"
