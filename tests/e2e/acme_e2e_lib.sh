# Shared by the ACME real-client tests (tests/e2e/acme_*_test.sh); sourced,
# never run. It gives each test the same stage: a private mount namespace in
# which ca.home.arpa and nas.home.arpa are 127.0.0.1 (an /etc/hosts bind-mounted
# over the machine's, seen by this test only), a real homecad on a free
# loopback port announcing https://ca.home.arpa:<port>/acme/directory, the
# root as root.pem, and one ACME pairing "nas" whose EAB key id and HMAC key
# are in $acme_kid and $acme_hmac.
#
# Usage, at the top of a test (set -euo pipefail already on):
#   source "$(dirname "$0")/acme_e2e_lib.sh"
#   acme_enter_namespace "$0" lego          # the client programs it needs
#   acme_start_homecad
#   acme_add_pairing                        # sets acme_kid, acme_hmac
#   ...  acme_judge cert.pem [chain.pem]      # openssl verify for nas.home.arpa
#   acme_check_record                       # paired, and the HMAC never logged
# Also: acme_trust_in_system_store (for clients that read only the system's
# store), acme_forbidden_hook / acme_hook_never_called (a challenge hook that
# must not run), acme_free_port, acme_serial, acme_track_pid.
# Everything lives in $acme_work, removed on exit (kept with ACME_E2E_KEEP=1);
# homecad (and anything registered with acme_track_pid) is ended by PID.
# Env: HOMECAD, HOMECA (built binaries); ACME_E2E_CONF (acme_start_homecad);
# HOMECA_CI=1 turns a skip into a failure through ctest's homeca_skippable.

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# Re-executes the test inside a private mount namespace, after checking that
# each named client program exists (skip 77 naming it), then makes the work
# directory and the exit trap (inside the namespace only, so nothing leaks
# from the outer process that exec replaces).
acme_enter_namespace() {
  local script="$1" prog
  shift
  if [[ "${ACME_E2E_IN_NS:-}" != 1 ]]; then
    for prog in "$@"; do
      command -v "$prog" >/dev/null || skip "$prog is not installed (.ci/deps installs it)"
    done
    unshare --mount --propagation private true 2>/dev/null ||
      skip "cannot create a mount namespace here (needs root)"
    ACME_E2E_IN_NS=1 exec unshare --mount --propagation private -- bash "$script"
  fi
  acme_work=$(mktemp -d)
  acme_pids=()
  trap acme_cleanup EXIT
}

acme_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

acme_track_pid() { acme_pids+=("$1"); }
acme_cleanup() {
  local pid
  for pid in "${acme_pids[@]}"; do
    { kill "$pid" && wait "$pid"; } 2>/dev/null || true
  done
  if [[ -n "${ACME_E2E_KEEP:-}" ]]; then echo "kept $acme_work"; else rm -rf "$acme_work"; fi
}

# Starts homecad with public_url https://ca.home.arpa:<port>; sets acme_port,
# acme_directory, and writes $acme_work/root.pem. ACME_E2E_CONF: more lines
# for homecad's configuration file, after its [homecad] section (e.g.
# $'[acme]\ncertificates_per_day = 100000'); the file is
# $acme_work/homecad.conf, for a test that rewrites it and sends SIGHUP.
acme_start_homecad() {
  [[ -x "${HOMECAD:-}" && -x "${HOMECA:-}" ]] || fail "HOMECAD and HOMECA must name the built programs"
  cp /etc/hosts "$acme_work/hosts"
  echo "127.0.0.1 ca.home.arpa nas.home.arpa" >>"$acme_work/hosts"
  mount --bind "$acme_work/hosts" /etc/hosts
  acme_port=$(acme_free_port)
  cat >"$acme_work/homecad.conf" <<CONF
[homecad]
public_url = https://ca.home.arpa:$acme_port
CONF
  if [[ -n "${ACME_E2E_CONF:-}" ]]; then printf '%s\n' "$ACME_E2E_CONF" >>"$acme_work/homecad.conf"; fi
  "$HOMECAD" --dev --data-dir="$acme_work/ca" --config="$acme_work/homecad.conf" \
    --https-port="$acme_port" --http-port=0 >"$acme_work/homecad.log" 2>&1 &
  acme_track_pid $!
  local _
  for _ in $(seq 100); do
    grep -q "ACME directory at" "$acme_work/homecad.log" && break
    sleep 0.1
  done
  acme_directory="https://ca.home.arpa:$acme_port/acme/directory"
  grep -q "ACME directory at $acme_directory" "$acme_work/homecad.log" ||
    fail "homecad did not announce its ACME directory: $(cat "$acme_work/homecad.log")"
  "$HOMECA" export-root --format pem --out "$acme_work/root.pem" \
    --data-dir="$acme_work/ca" >/dev/null
}

# Adds the ACME pairing "nas"; sets acme_kid, acme_hmac and acme_added (what
# `homeca pair add --acme` printed, its recipes included).
acme_add_pairing() {
  acme_added=$("$HOMECA" pair add --acme --name nas --ca-url "https://ca.home.arpa:$acme_port" \
    --data-dir="$acme_work/ca")
  acme_kid=$(sed -n 's/^ *EAB key id: *//p' <<<"$acme_added")
  acme_hmac=$(sed -n 's/^ *EAB HMAC key: *//p' <<<"$acme_added")
  [[ -n "$acme_kid" && -n "$acme_hmac" ]] || fail "pair add --acme printed no credentials: $acme_added"
}

# openssl's judgement of a certificate for nas.home.arpa: a TLS server
# certificate chaining to the root, through the intermediate that the client
# saved beside it (the second argument, or the rest of a full-chain file).
acme_judge() {
  local cert="$1" chain="${2:-}"
  local leaf="$acme_work/judge-leaf.pem" rest="$acme_work/judge-rest.pem"
  # The first certificate of the file is the leaf; what follows is its chain.
  awk -v leaf="$leaf" -v rest="$rest" '
    /-----BEGIN CERTIFICATE-----/ { n++ }
    n == 1 { print > leaf } n > 1 { print > rest }' "$cert"
  [[ -s "$leaf" ]] || fail "$cert holds no certificate"
  [[ -n "$chain" ]] && cat "$chain" >>"$rest"
  [[ -s "$rest" ]] || fail "$cert comes without its intermediate"
  openssl verify -purpose sslserver -verify_hostname nas.home.arpa -CAfile "$acme_work/root.pem" \
    -untrusted "$rest" "$leaf" >/dev/null || fail "openssl refuses $cert"
  rm -f "$leaf" "$rest"
}

acme_serial() { openssl x509 -in "$1" -noout -serial; }

# The device is on the record as paired, and homecad never logged the HMAC key.
acme_check_record() {
  local pairs
  pairs=$("$HOMECA" pair list --data-dir="$acme_work/ca")
  grep -q "paired" <<<"$pairs" || fail "the pairing is not paired: $pairs"
  if grep -qF "$acme_hmac" "$acme_work/homecad.log"; then fail "homecad logged the EAB HMAC key"; fi
}

# A hook that must never run: the pairing is the authorization, so no client
# should ever be asked to meet a challenge. It leaves a mark if it is called.
acme_forbidden_hook() {
  cat >"$acme_work/hook.sh" <<HOOK
#!/bin/sh
echo "called: \$*" >>"$acme_work/hook.called"
exit 1
HOOK
  chmod +x "$acme_work/hook.sh"
  echo "$acme_work/hook.sh"
}
acme_hook_never_called() {
  [[ ! -e "$acme_work/hook.called" ]] ||
    fail "the challenge hook was called: $(cat "$acme_work/hook.called")"
}

# For clients that read only the system's trust store (uacme, dehydrated's
# curl): inside this namespace, the bundle holds the machine's roots and ours.
acme_trust_in_system_store() {
  local bundle=/etc/ssl/certs/ca-certificates.crt
  { [[ -f "$bundle" ]] && cat "$bundle"; cat "$acme_work/root.pem"; } >"$acme_work/system-bundle.crt"
  mount --bind "$acme_work/system-bundle.crt" "$bundle"
}
