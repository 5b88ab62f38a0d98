#!/usr/bin/env bash
# TLS scan of homecad's HTTPS listener with testssl.sh (docs/security-checks.md).
#
# Starts a real homecad (--dev, loopback only, a throwaway data directory, as
# tests/webui/web_appliance.* does), scans it with testssl.sh, and fails on:
#   - any finding of severity MEDIUM, HIGH or CRITICAL;
#   - SSLv2, SSLv3, TLS 1.0 or TLS 1.1 offered, or TLS 1.2 not offered;
#   - any cipher suite offered without forward secrecy, or a weak one (NULL,
#     anonymous, export, LOW, 3DES/IDEA, CBC);
#   - a scan that did not finish or reported a scan problem (WARN/FATAL), so a
#     broken scan cannot pass.
# LOW findings are printed; the accepted ones and why are in
# docs/security-checks.md.
#
# Nothing leaves loopback: the host name goes with --ip 127.0.0.1 and
# --nodns none (no DNS lookup at all), and testssl's only outbound checks
# (CRL, OCSP) stay off without --phone-out. The scan is bounded by `timeout`.
#
# The CA is made first with `homeca init --crl-url`, so certificates carry a
# CRL distribution point: without one testssl rates the missing revocation
# information HIGH (cert_revocation). docs/security-checks.md explains why the
# default appliance, which has no CRL URL unless the admin gives one, still
# gets that finding.
#
# Usage: testssl_test.sh HOMECAD HOMECA   Exit 77 (skip) when testssl is missing.
set -euo pipefail
homecad="$1"
homeca="$2"
testssl="$(command -v testssl || command -v testssl.sh || true)"
if [ -z "$testssl" ]; then
  echo "SKIP: testssl.sh is not installed (apt-get install testssl.sh)"
  exit 77
fi

work="$(mktemp -d /tmp/homeca-testssl.XXXXXX)"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
"$homeca" init --data-dir "$work/ca" --crl-url http://ca.home.arpa/crl.der >"$work/init.log" 2>&1 ||
  { cat "$work/init.log"; echo "FAIL: homeca init"; exit 1; }
https_port="$(free_port)"
http_port="$(free_port)"
"$homecad" --dev --data-dir="$work/ca" --https-port="$https_port" --http-port="$http_port" \
  >"$work/homecad.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 300); do
  grep -q "root CA:" "$work/homecad.log" 2>/dev/null && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/homecad.log"; echo "FAIL: homecad exited"; exit 1; }
  sleep 0.1
done
grep -q "root CA:" "$work/homecad.log" || { cat "$work/homecad.log"; echo "FAIL: homecad did not start"; exit 1; }

# ca.home.arpa is the name homecad's certificate carries by default; --add-ca
# makes testssl judge the chain against this CA's root, as a device would.
# /login answers 200 without a session (/ redirects), for the HTTP header
# checks. The checks: protocols (-p), cipher categories (-s), forward secrecy
# (-f), server preference (-P), certificate and defaults (-S), HTTP headers
# (-h), vulnerabilities (-U). Client simulation (-c) is left out: it only
# says which old clients could connect, and doubles the run time.
start=$SECONDS
status=0
timeout 420 "$testssl" --quiet --color 0 --warnings off --nodns none --ip 127.0.0.1 \
  --connect-timeout 5 --openssl-timeout 5 --add-ca "$work/ca/root.pem" \
  --jsonfile "$work/testssl.json" -p -s -f -P -S -h -U "https://ca.home.arpa:$https_port/login" \
  >"$work/testssl.log" 2>&1 ||
  status=$?
echo "testssl.sh finished in $((SECONDS - start)) s with status $status"
if [ ! -s "$work/testssl.json" ]; then
  cat "$work/testssl.log"
  echo "FAIL: testssl.sh wrote no JSON"
  exit 1
fi

python3 - "$work/testssl.json" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))
by_id = {}
for f in findings:
    by_id.setdefault(f["id"], []).append(f)
failures = []
def fail(why):
    failures.append(why)

# Scan warnings that are about the scanner, not the server (see
# docs/security-checks.md): Debian's openssl has no GOST engine; the
# session-ticket resumption check (a performance feature) sometimes cannot
# reconnect in time on a busy machine.
TOLERATED_WARNINGS = {"engine_problem", "sessionresumption_ticket", "sessionresumption_ID"}
for f in findings:
    sev = f.get("severity", "")
    if sev in ("MEDIUM", "HIGH", "CRITICAL"):
        fail("%s %s: %s" % (sev, f["id"], f["finding"]))
    elif sev == "FATAL" or (sev == "WARN" and f["id"] not in TOLERATED_WARNINGS):
        fail("scan problem (%s) %s: %s" % (sev, f["id"], f["finding"]))
    elif sev == "WARN":
        print("scan warning (tolerated): %s: %s" % (f["id"], f["finding"]))
for proto in ("SSLv2", "SSLv3", "TLS1", "TLS1_1"):
    got = [f["finding"] for f in by_id.get(proto, [])]
    if not got or not all(g.startswith("not offered") for g in got):
        fail("%s must be 'not offered', got %r" % (proto, got))
for proto in ("TLS1_2",):
    got = [f["finding"] for f in by_id.get(proto, [])]
    if not got or not got[0].startswith("offered"):
        fail("%s must be offered, got %r" % (proto, got))
# Weak cipher categories: each must be "not offered".
for cat in ("cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW",
            "cipherlist_3DES_IDEA", "cipherlist_AVERAGE"):
    got = [f["finding"] for f in by_id.get(cat, [])]
    if not got or not all(g.startswith("not offered") for g in got):
        fail("%s must be 'not offered', got %r" % (cat, got))
# Every suite the server picks from (cipherorder_*) has forward secrecy:
# ECDHE/DHE for TLS 1.2, and TLS 1.3 suites (always ephemeral).
offered = []
for key, entries in by_id.items():
    if key.startswith("cipherorder_"):
        for f in entries:
            offered += f["finding"].split()
if not offered:
    fail("no cipherorder_* findings: the scan did not list the server's suites")
for suite in offered:
    if not (suite.startswith("ECDHE-") or suite.startswith("DHE-") or suite.startswith("TLS_")):
        fail("suite without forward secrecy offered: " + suite)
    if "CBC" in suite or "SHA1" in suite.upper().split("-")[-1:] or suite.endswith("-SHA"):
        fail("CBC/SHA-1 suite offered: " + suite)
if "scanTime" not in by_id:
    fail("no scanTime: the scan did not finish")

print("suites offered:", " ".join(offered))
low = [f for f in findings if f.get("severity") == "LOW"]
for f in low:
    print("LOW (not a failure; accepted ones are listed in docs/security-checks.md): %s: %s" % (f["id"], f["finding"]))
counts = {}
for f in findings:
    counts[f.get("severity", "?")] = counts.get(f.get("severity", "?"), 0) + 1
print("findings by severity:", counts)
if failures:
    print("FAIL:")
    for why in failures:
        print("  " + why)
    sys.exit(1)
print("PASS: no finding at MEDIUM or above; only TLS 1.2+ with forward-secret AEAD suites")
PY
