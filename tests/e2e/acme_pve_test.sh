#!/usr/bin/env bash
# End to end: a small python3-acme client that behaves like Proxmox VE's
# (acme_pve_client.py: GET for nonces, an RSA-4096 account key whose JWK
# carries "use":"sig", strict 201 on creation) registers, orders, renews and
# revokes the replaced certificate against a real homecad; openssl judges
# both certificates and the CRL then lists the revoked one. The stage is
# acme_e2e_lib.sh. Env: HOMECAD, HOMECA.
set -euo pipefail
source "$(dirname "$0")/acme_e2e_lib.sh"
# Debian's interpreter, where python3-acme lives (not a python3 earlier on PATH).
py=/usr/bin/python3
if [[ "${ACME_E2E_IN_NS:-}" != 1 ]]; then
  "$py" -c 'import acme, josepy, requests, cryptography' 2>/dev/null ||
    skip "python3-acme is not installed (.ci/deps installs it)"
fi
acme_enter_namespace "$0"
acme_start_homecad
acme_add_pairing

mkdir -p "$acme_work/pve"
timeout 90 "$py" "$(dirname "$0")/acme_pve_client.py" "$acme_directory" "$acme_work/root.pem" \
  "$acme_kid" "$acme_hmac" "$acme_work/pve" >"$acme_work/pve.log" 2>&1 ||
  fail "the Proxmox-like client failed: $(cat "$acme_work/pve.log")"
acme_judge "$acme_work/pve/cert1.pem"
acme_judge "$acme_work/pve/cert2.pem"

# The replaced certificate is revoked on the record, the renewal is not.
revoked=$(acme_serial "$acme_work/pve/cert1.pem" | sed 's/^serial=//')
current=$(acme_serial "$acme_work/pve/cert2.pem" | sed 's/^serial=//')
listing=$("$HOMECA" list --status revoked --data-dir="$acme_work/ca" 2>&1)
grep -qi "^$revoked " <<<"$listing" || fail "the replaced certificate $revoked is not revoked: $listing"
if grep -qi "^$current " <<<"$listing"; then fail "the renewed certificate $current was revoked too"; fi
acme_check_record
echo "PASS: the Proxmox-like python3-acme client enrolled, renewed and revoked through ACME"
