#!/usr/bin/env bash
# A real dnsmasq, configured by the drop-in the package ships
# (packaging/names/dnsmasq.conf, only its hostsdir= pointed at this test's
# export), serves what NameExporter writes, in a network namespace of its
# own: the exported addresses, the new one (alone) shortly after an address
# changes with no reload, NXDOMAIN for an unknown home.arpa name, and never a
# record from a dot file (the exporter's temporary files). The delay from
# Export to dnsmasq answering the new address is measured and printed.
# Then a second dnsmasq plays an OpenWrt router that forwards home.arpa to
# the first, with the two options docs/operations.md gives for it.
set -euo pipefail
source "$(dirname "$0")/resolver_ns.sh"
DNSMASQ="${DNSMASQ:-/usr/sbin/dnsmasq}"
ns_require_root_and_tools "$DNSMASQ"
ns_up
ns_on_failure() { echo "--- dnsmasq log"; cat "$WORK/dnsmasq.log"; }

export_map() { "$NAMES_EXPORT" "$WORK/names" <<<"$1"; }

echo "== export, and dnsmasq started on the shipped drop-in"
export_map "nas.home.arpa,nas.local 192.168.77.20,fd00:77::20"
mkdir "$WORK/dnsmasq.d"
sed "s|^hostsdir=.*|hostsdir=$WORK/names/dnsmasq|" \
  "$HOMECA_SOURCE_DIR/packaging/names/dnsmasq.conf" >"$WORK/homeca.conf"
# Enabled as the docs say: a link in the conf-dir (Debian reads /etc/dnsmasq.d).
ln -s "$WORK/homeca.conf" "$WORK/dnsmasq.d/homeca.conf"
user=nobody
getent passwd dnsmasq >/dev/null && user=dnsmasq
ns_bg "$WORK/dnsmasq.out" "$DNSMASQ" --keep-in-foreground --conf-file=/dev/null \
  --conf-dir="$WORK/dnsmasq.d" --no-resolv --no-hosts --listen-address=127.0.0.1 \
  --bind-interfaces --user="$user" --pid-file="$WORK/dnsmasq.pid" \
  --log-facility="$WORK/dnsmasq.log" --log-queries
wait_for_resolver
grep -F "read $WORK/names/dnsmasq/homeca.hosts - 2 names" "$WORK/dnsmasq.log" >/dev/null ||
  { echo "FAIL: dnsmasq did not read the export as user $user" >&2; exit 1; }
expect "NOERROR 192.168.77.20" nas.home.arpa A
expect "NOERROR fd00:77::20" nas.home.arpa AAAA
expect "NOERROR nas.home.arpa" 192.168.77.20 PTR
expect "NXDOMAIN" unknown.home.arpa A
expect "NXDOMAIN" unknown.home.arpa AAAA

echo "== renumbered: dnsmasq answers the new address alone, with no reload"
delays=()
commands=()
for round in 1 2 3 4 5 6; do
  address="192.168.77.$((20 + round))"
  ms=""
  read -r ms command_ms < <(ns_run python3 "$HERE/dns_query.py" until 127.0.0.1 nas.home.arpa A "$address" 5 -- \
    "$NAMES_EXPORT" "$WORK/names" <<<"nas.home.arpa,nas.local $address,fd00:77::20")
  [ -n "${ms:-}" ] || { echo "FAIL: no answer with $address within 5 s" >&2; exit 1; }
  delays+=("$ms")
  commands+=("$command_ms")
done
echo "   names_export run -> dnsmasq answers the new address: $(printf '%s\n' "${delays[@]}" | summary)"
echo "   of which the names_export process (start, write, exit): $(printf '%s\n' "${commands[@]}" | summary)"
expect "NOERROR 192.168.77.26" nas.home.arpa A
expect "NOERROR fd00:77::20" nas.home.arpa AAAA
[ "$(query 192.168.77.20 PTR)" != "NOERROR nas.home.arpa" ] ||
  { echo "FAIL: the old address still has its PTR record" >&2; exit 1; }
grep -F "inotify: flushed" "$WORK/dnsmasq.log" >/dev/null ||
  { echo "FAIL: dnsmasq did not flush the old records" >&2; exit 1; }

echo "== a second device, then none"
export_map "nas.home.arpa 192.168.77.26
printer.home.arpa 192.168.77.30" >/dev/null
sleep 0.3
expect "NOERROR 192.168.77.30" printer.home.arpa A
export_map "" >/dev/null
sleep 0.3
expect "NXDOMAIN" nas.home.arpa A
expect "NXDOMAIN" printer.home.arpa A

echo "== dot files in the directory are never read (the exporter's temporary files)"
printf '192.168.77.66 evil.home.arpa\n' >"$WORK/names/dnsmasq/.homeca.hosts.tmpAbC123"
sleep 0.3
expect "NXDOMAIN" evil.home.arpa A
# The same file without the dot is read: the check above can fail.
mv "$WORK/names/dnsmasq/.homeca.hosts.tmpAbC123" "$WORK/names/dnsmasq/visible.hosts"
sleep 0.3
expect "NOERROR 192.168.77.66" evil.home.arpa A
if grep -F "read $WORK/names/dnsmasq/." "$WORK/dnsmasq.log"; then
  echo "FAIL: dnsmasq read a dot file" >&2
  exit 1
fi
echo "== a router's dnsmasq forwarding home.arpa to this one (docs: OpenWrt)"
export_map "nas.home.arpa 192.168.77.26" >/dev/null
# OpenWrt's defaults include rebind protection: answers with private
# addresses from upstream are dropped...
ns_bg "$WORK/router.out" "$DNSMASQ" --keep-in-foreground --conf-file=/dev/null --no-resolv \
  --no-hosts --listen-address=127.0.0.2 --bind-interfaces --user="$user" \
  --pid-file="$WORK/router.pid" --log-facility="$WORK/router.log" --log-queries \
  --stop-dns-rebind --rebind-localhost-ok --server=/home.arpa/127.0.0.1
RESOLVER=127.0.0.2 wait_for_resolver
got="$(RESOLVER=127.0.0.2 query nas.home.arpa A)"
[ "$got" != "NOERROR 192.168.77.26" ] ||
  { echo "FAIL: the router passed a private answer despite --stop-dns-rebind" >&2; exit 1; }
echo "   127.0.0.2 with rebind protection alone: nas.home.arpa A -> $got"
grep -F "possible DNS-rebind attack detected: nas.home.arpa" "$WORK/router.log" | sed 's/^/   /'
# ... unless the domain is allowed: uci's rebind_domain.
kill -TERM "${NS_BG_PIDS[-1]}"
wait "${NS_BG_PIDS[-1]}" 2>/dev/null || true
ns_bg "$WORK/router.out" "$DNSMASQ" --keep-in-foreground --conf-file=/dev/null --no-resolv \
  --no-hosts --listen-address=127.0.0.2 --bind-interfaces --user="$user" \
  --pid-file="$WORK/router.pid" --log-facility="$WORK/router.log" --log-queries \
  --stop-dns-rebind --rebind-localhost-ok --server=/home.arpa/127.0.0.1 \
  --rebind-domain-ok=/home.arpa/
RESOLVER=127.0.0.2 wait_for_resolver
RESOLVER=127.0.0.2 expect "NOERROR 192.168.77.26" nas.home.arpa A
RESOLVER=127.0.0.2 expect "NXDOMAIN" unknown.home.arpa A
echo "PASS"
