#!/usr/bin/env bash
# A real unbound, enabled with the snippet the package ships
# (packaging/names/unbound.conf, only its include: pointed at this test's
# export) the way Debian's unbound.conf reads it (include-toplevel of a
# conf.d directory), serves what NameExporter writes, in a network namespace
# of its own; `unbound-control reload` as the exporter's reload command
# brings a new address in (unbound rereads the file as its own user). The
# delay from Export to unbound answering the new address is printed. Last,
# the reload as homecad runs it: an ordinary user, allowed to use unbound's
# control socket through unbound's group (docs: `adduser homeca unbound`).
set -euo pipefail
source "$(dirname "$0")/resolver_ns.sh"
ns_require_root_and_tools unbound unbound-control unbound-checkconf
ns_up
ns_on_failure() { echo "--- unbound log"; cat "$WORK/unbound.log" "$WORK/unbound.out" 2>/dev/null; }

user=""
getent passwd unbound >/dev/null && user=unbound
cat >"$WORK/unbound.conf" <<CONF
server:
	interface: 127.0.0.1
	access-control: 127.0.0.0/8 allow
	chroot: ""
	username: "$user"
	directory: "$WORK"
	pidfile: "$WORK/unbound.pid"
	use-syslog: no
	logfile: "$WORK/unbound.log"
	module-config: "iterator"
	do-not-query-localhost: yes
remote-control:
	control-enable: yes
	control-interface: "$WORK/unbound.ctl"
include-toplevel: "$WORK/unbound.conf.d/*.conf"
CONF
mkdir "$WORK/unbound.conf.d"
sed "s|^include: .*|include: \"$WORK/names/unbound.conf\"|" \
  "$HOMECA_SOURCE_DIR/packaging/names/unbound.conf" >"$WORK/homeca.conf"
ln -s "$WORK/homeca.conf" "$WORK/unbound.conf.d/homeca.conf"
touch "$WORK/unbound.log"
[ -z "$user" ] || chown "$user" "$WORK/unbound.log"
reload=(unbound-control -c "$WORK/unbound.conf" reload)
export_map() { "$NAMES_EXPORT" "$WORK/names" "${reload[@]}" <<<"$1"; }

echo "== export, then unbound started on the shipped snippet"
"$NAMES_EXPORT" "$WORK/names" <<<"nas.home.arpa,nas.local 192.168.77.20,fd00:77::20" >/dev/null
unbound-checkconf "$WORK/unbound.conf"
ns_bg "$WORK/unbound.out" unbound -d -c "$WORK/unbound.conf"
wait_for_resolver
expect "NOERROR 192.168.77.20" nas.home.arpa A
expect "NOERROR fd00:77::20" nas.home.arpa AAAA
expect "NOERROR nas.home.arpa" 192.168.77.20 PTR
expect "NOERROR nas.home.arpa" fd00:77::20 PTR
expect "NXDOMAIN" unknown.home.arpa A

echo "== renumbered: the reload command brings the new address in"
delays=()
commands=()
for round in 1 2 3 4 5 6; do
  address="192.168.77.$((20 + round))"
  ms=""
  read -r ms command_ms < <(ns_run python3 "$HERE/dns_query.py" until 127.0.0.1 nas.home.arpa A "$address" 5 -- \
    "$NAMES_EXPORT" "$WORK/names" "${reload[@]}" \
    <<<"nas.home.arpa,nas.local $address,fd00:77::20")
  [ -n "${ms:-}" ] || { echo "FAIL: no answer with $address within 5 s" >&2; exit 1; }
  delays+=("$ms")
  commands+=("$command_ms")
done
echo "   names_export run (with unbound-control reload) -> unbound answers: $(printf '%s\n' "${delays[@]}" | summary)"
echo "   of which the names_export process (start, write, reload, exit): $(printf '%s\n' "${commands[@]}" | summary)"
expect "NOERROR 192.168.77.26" nas.home.arpa A
expect "NOERROR nas.home.arpa" 192.168.77.26 PTR

echo "== without the reload, unbound keeps the old answer (the reload is what works)"
"$NAMES_EXPORT" "$WORK/names" <<<"nas.home.arpa 192.168.77.40" >/dev/null
sleep 0.5
expect "NOERROR 192.168.77.26" nas.home.arpa A
"${reload[@]}" >/dev/null
sleep 0.2
expect "NOERROR 192.168.77.40" nas.home.arpa A
if [ -n "$user" ] && command -v setpriv >/dev/null; then
  echo "== the reload as an ordinary user: refused without unbound's group, done with it"
  chown -R nobody "$WORK/names"
  as_nobody() { setpriv --reuid=nobody --regid=nogroup "$@" -- "$NAMES_EXPORT" "$WORK/names" "${reload[@]}"; }
  as_nobody --clear-groups <<<"nas.home.arpa 192.168.77.41" >/dev/null 2>"$WORK/refused.log"
  grep -F "exited with status 1" "$WORK/refused.log" | sed 's/^/   /'
  grep -qF "exited with status 1" "$WORK/refused.log" ||
    { cat "$WORK/refused.log"; echo "FAIL: the reload was not refused without the group" >&2; exit 1; }
  expect "NOERROR 192.168.77.40" nas.home.arpa A
  as_nobody --groups="$(getent group unbound | cut -d: -f3)" <<<"nas.home.arpa 192.168.77.42" >/dev/null
  sleep 0.2
  expect "NOERROR 192.168.77.42" nas.home.arpa A
fi
echo "PASS"
