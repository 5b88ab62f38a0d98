#!/usr/bin/env bash
# The package install test: installs homeca's .debs into a fresh Debian 12
# root made by debootstrap and checks them as an admin would meet them.
#
#   tests/packaging/install_test.sh DEB_DIR
#
# 1. `apt-get install ./homeca_*.deb ./homeca-enroll_*.deb ./libhomeca-enroll1_*.deb`
#    pulls the dependencies from the Debian archive; the homeca user, its
#    0700 state directory and the conffile exist; the unit is enabled, the
#    device's renewal unit is not.
# 2. homecad runs as the homeca user under the unit's own settings, applied
#    without systemd (there is none in a chroot): its User/Group, UMask,
#    NoNewPrivileges, the bounding and ambient capability sets, the system
#    call filter, RestrictAddressFamilies and MemoryDenyWriteExecute (seccomp,
#    unit-sandbox), and ProtectSystem=strict, ProtectHome, PrivateTmp,
#    PrivateDevices, ProtectProc (mounts), in a network namespace of its own
#    where it binds ports 80 and 443 with the shipped configuration. It
#    serves the onboarding page and logs the setup link; `homeca pair add`,
#    run as the homeca user, makes a code with which `homeca-enroll` (from
#    its own package) pairs; SIGHUP reloads under the filter.
# 3. an upgrade in place keeps the CA and its certificates; remove keeps the
#    CA (reinstall: same root fingerprint); purge deletes it.
#
# Exit 77 (skip) with the reason when not root or debootstrap, the archive or
# a tool is missing. The debootstrapped root is cached as a tarball in
# $HOMECA_CI_CACHE (default /var/cache/homeca-ci); delete it to start over.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
skip() { echo "SKIPPED: package install test: $*"; exit 77; }
fail() { echo "FAILED: package install test: $*" >&2; exit 1; }
step() { echo "== $*"; }

[ $# -eq 1 ] || { echo "usage: $0 DEB_DIR" >&2; exit 2; }
debs="$(realpath "$1")"
[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, namespaces)"
for tool in debootstrap chroot unshare setpriv ip curl openssl python3 systemd-analyze cc; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
seccomp_lib="$(ls /usr/lib/*/libseccomp.so.2 2>/dev/null | head -n1 || true)"
[ -n "$seccomp_lib" ] || skip "libseccomp2 is not installed"
for pkg in homeca homeca-enroll libhomeca-enroll1; do
  ls "$debs/${pkg}"_*.deb >/dev/null 2>&1 || fail "no ${pkg}_*.deb in $debs"
done

# The Debian mirror this machine's apt uses (falls back to deb.debian.org).
mirror="${HOMECA_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                /etc/apt/sources.list.d/*.sources |
            grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ')" || true
  mirror="${mirror:-http://deb.debian.org/debian}"
fi
unshare --mount --net true 2>/dev/null || skip "cannot create mount and network namespaces here"
curl -sfI --max-time 20 "${mirror%/}/dists/bookworm/InRelease" >/dev/null ||
  skip "the Debian archive at $mirror is not reachable"

# Everything below runs in a private mount namespace: whatever the test
# mounts disappears with it, even if it fails half-way.
if [ -z "${HOMECA_INSTALL_TEST_NS:-}" ]; then
  exec env HOMECA_INSTALL_TEST_NS=1 HOMECA_DEBIAN_MIRROR="$mirror" \
    unshare --mount --propagation private -- bash "$0" "$@"
fi

arch="$(dpkg --print-architecture)"
cache="${HOMECA_CI_CACHE:-/var/cache/homeca-ci}"
tarball="$cache/debootstrap-bookworm-minbase-$arch.tar"
work="$(mktemp -d /var/tmp/homeca-install-test.XXXXXX)"
root="$work/root"
daemon_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null || true
  umount -R "$root/proc" "$root/dev" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$root" "$cache"

step "a fresh Debian 12 root"
if [ -f "$tarball" ]; then
  tar -C "$root" -xf "$tarball"
else
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; fail "debootstrap failed"; }
  tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
fi
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
apt_in_root() { in_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o Dpkg::Use-Pty=0 "$@"; }

step "apt-get install the packages (dependencies from $mirror)"
mkdir -p "$root/tmp/debs"
cp "$debs"/homeca_*.deb "$debs"/homeca-enroll_*.deb "$debs"/libhomeca-enroll1_*.deb "$root/tmp/debs/"
in_root_debs=()  # their paths inside the root
for deb in "$root"/tmp/debs/*.deb; do in_root_debs+=("/tmp/debs/$(basename "$deb")"); done
homeca_deb="$(cd "$root" && ls tmp/debs/homeca_*.deb)"
apt_in_root update >/dev/null
apt_in_root install -y --no-install-recommends "${in_root_debs[@]}" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log"; fail "apt-get install failed"; }
grep -E '^(Need to get|After this operation|[0-9]+ upgraded)' "$work/apt.log" | sed 's/^/   /' || true

step "user, directories, conffile, units"
IFS=: read -r _ _ uid gid _ home shell < <(in_root getent passwd homeca) || fail "no homeca user"
[ "$uid" -lt 1000 ] || fail "homeca is not a system user (uid $uid)"
[ "$home" = /var/lib/homeca ] || fail "homeca's home is $home"
[ "$shell" = /usr/sbin/nologin ] || fail "homeca's shell is $shell"
# Numeric ids: the host's own passwd may name them differently.
[ "$(stat -c '%u:%g %a' "$root/var/lib/homeca")" = "$uid:$gid 700" ] ||
  fail "/var/lib/homeca is $(stat -c '%u:%g %a' "$root/var/lib/homeca"), not $uid:$gid 700"
# The name export: readable by dnsmasq and unbound, the dnsmasq directory
# there before dnsmasq first starts; the snippets that enable them.
for dir in /var/lib/homeca-names /var/lib/homeca-names/dnsmasq; do
  [ "$(stat -c '%u:%g %a' "$root$dir")" = "$uid:$gid 755" ] ||
    fail "$dir is $(stat -c '%u:%g %a' "$root$dir" 2>&1), not $uid:$gid 755"
done
for snippet in dnsmasq/homeca.conf unbound/homeca.conf; do
  [ -f "$root/usr/share/homeca/$snippet" ] || fail "/usr/share/homeca/$snippet is missing"
done
in_root dpkg-query -W -f='${Conffiles}\n' homeca | grep -q '^ /etc/homeca/homeca.conf ' ||
  fail "/etc/homeca/homeca.conf is not a conffile"
[ -L "$root/etc/systemd/system/multi-user.target.wants/homeca.service" ] ||
  fail "homeca.service is not enabled"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/homeca-enroll.service" ] ||
  fail "homeca-enroll.service is enabled before the device is paired"
echo "   homeca uid $uid, /var/lib/homeca homeca:homeca 0700, /var/lib/homeca-names 0755,"
echo "   resolver snippets in /usr/share/homeca, conffile, homeca.service enabled"
# The admin CLI run as root would leave root-owned files homecad cannot read.
if refused="$(in_root homeca init 2>&1)"; then fail "homeca init ran as root in homeca's directory"; fi
grep -q 'run homeca as that user (sudo -u homeca' <<<"$refused" || fail "unexpected refusal: $refused"
[ -z "$(ls -A "$root/var/lib/homeca")" ] || fail "the refused command left files behind"
echo "   homeca as root is refused: $refused"

# The unit's sandbox, read from the unit the package installed.
unit="$root/lib/systemd/system/homeca.service"
eval "$(python3 "$here/unit_sandbox.py" settings "$unit")"
sandbox_dir="$root/usr/local/lib/homeca-test"
mkdir -p "$sandbox_dir"
python3 "$here/unit_sandbox.py" syscalls "$unit" >"$sandbox_dir/syscalls"
cc -O2 -o "$sandbox_dir/unit-sandbox" "$here/unit_sandbox.c" "$seccomp_lib"

# Starts homecad as the unit would, in the current network namespace; sets
# daemon_pid. Its mounts live in a mount namespace of its own.
start_daemon() {
  local log="$1"
  local mdwe_flag=""
  [ "$MDWE" = yes ] && mdwe_flag="--mdwe"
  unshare --mount --propagation private -- bash -c '
    set -e
    root="$1"; shift
    # ProtectSystem=strict: everything read-only but ReadWritePaths=.
    mount --bind "$root" "$root"
    mount --bind "$root/var/lib/homeca" "$root/var/lib/homeca"
    mount --bind "$root/var/lib/homeca-names" "$root/var/lib/homeca-names"
    mount -o remount,bind,ro "$root"
    # PrivateTmp, ProtectHome, PrivateDevices, ProtectProc=invisible + ProcSubset=pid.
    for d in tmp var/tmp; do mount -t tmpfs -o mode=1777 tmpfs "$root/$d"; done
    for d in home root; do mount -t tmpfs -o ro,mode=0755 tmpfs "$root/$d"; done
    mount -t tmpfs -o mode=0755 tmpfs "$root/dev"
    for n in null zero full random urandom; do
      touch "$root/dev/$n"; mount --bind "/dev/$n" "$root/dev/$n"
    done
    mount -t proc -o hidepid=invisible,subset=pid proc "$root/proc"
    umask "$SVC_UMASK"
    exec chroot "$root" setpriv --reuid="$SVC_USER" --regid="$SVC_GROUP" --init-groups \
      --no-new-privs --bounding-set=-all,"$CAPS" --inh-caps=-all,"$CAPS" \
      --ambient-caps=-all,"$CAPS" -- "$@"
  ' sandbox "$root" /usr/local/lib/homeca-test/unit-sandbox \
    --syscalls /usr/local/lib/homeca-test/syscalls --families "$FAMILIES" $mdwe_flag \
    -- $EXEC_START >"$log" 2>&1 &
  daemon_pid=$!
}

wait_for_log() {  # LOG NEEDLE
  for _ in $(seq 1 200); do
    grep -qF "$2" "$1" && return 0
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$1"
  fail "homecad never logged '$2'"
}

stop_daemon() {
  kill -TERM "$daemon_pid"
  local status=0
  wait "$daemon_pid" || status=$?
  daemon_pid=""
  [ "$status" -eq 0 ] || fail "homecad exited with status $status on SIGTERM"
}

as_homeca() { in_root setpriv --reuid=homeca --regid=homeca --init-groups "$@"; }

root_fingerprint() {  # the CA's root, as the admin CLI reports it
  as_homeca homeca export-root --format pem 2>/dev/null | openssl x509 -noout -fingerprint -sha256 |
    cut -d= -f2
}

export root uid SVC_UMASK SVC_USER SVC_GROUP CAPS FAMILIES MDWE EXEC_START

step "homecad under the unit's sandbox, on ports 80 and 443 of its own network namespace"
# The service part runs in a fresh network namespace (loopback only), so the
# shipped defaults (0.0.0.0, ports 80 and 443) are used as they are.
cat >"$work/service_checks.sh" <<'CHECKS'
set -euo pipefail
source "$WORK/functions.sh"
daemon_pid=""
trap '[ -z "$daemon_pid" ] || kill "$daemon_pid" 2>/dev/null || true' EXIT
ip link set lo up
log="$WORK/homecad.log"
start_daemon "$log"
wait_for_log "$log" "homecad onboarding at http://"
wait_for_log "$log" "first-run setup: https://"
[ "$(ps -o uid= -p "$daemon_pid" | tr -d ' ')" = "$uid" ] || fail "homecad does not run as homeca"
echo "   homecad is up (pid $daemon_pid) as homeca (uid $uid)"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$daemon_pid/status" || fail "no_new_privs is not set"
grep -q '^Seccomp:[[:space:]]*2' "/proc/$daemon_pid/status" || fail "no seccomp filter"
grep '^Cap\(Eff\|Bnd\|Amb\)' "/proc/$daemon_pid/status" | sed 's/^/   /'
[ "$(awk '/^CapBnd/ {print $2}' "/proc/$daemon_pid/status")" = 0000000000000400 ] ||
  fail "the bounding set is not CAP_NET_BIND_SERVICE alone"

# The onboarding page over plain HTTP carries the root's fingerprint.
fingerprint="$(root_fingerprint)"
[ -n "$fingerprint" ] || fail "homeca export-root gave no root"
page="$(curl -sS --max-time 10 http://127.0.0.1/)"
grep -q 'data-testid="root-fingerprint"' <<<"$page" || fail "no onboarding page on port 80"
# <wbr> after each colon lets the fingerprint wrap between bytes; not text.
grep -qF "$fingerprint" <<<"${page//<wbr>/}" || fail "the onboarding page does not show $fingerprint"
curl -sS --max-time 10 -o "$WORK/root.crt" http://127.0.0.1/homeca-root.crt
[ "$(openssl x509 -inform DER -in "$WORK/root.crt" -noout -fingerprint -sha256 | cut -d= -f2)" = "$fingerprint" ] ||
  fail "/homeca-root.crt is not the CA's root"
echo "   onboarding page on http://127.0.0.1/ shows the root $fingerprint"

# HTTPS on 443 with a certificate that chains to that root; the setup link works.
openssl x509 -inform DER -in "$WORK/root.crt" -out "$WORK/root.pem"
curl -sS --max-time 10 --cacert "$WORK/root.pem" --resolve ca.home.arpa:443:127.0.0.1 \
  https://ca.home.arpa/healthz >/dev/null || fail "/healthz over HTTPS failed"
setup_path="$(grep -o 'first-run setup: https://[^ ]*' "$log" | head -n1 | sed 's|.*https://[^/]*||')"
form="$(curl -sS --max-time 10 --cacert "$WORK/root.pem" --resolve ca.home.arpa:443:127.0.0.1 \
          "https://ca.home.arpa$setup_path")"
grep -q 'id="password"' <<<"$form" || fail "the setup link does not show the password form"
echo "   https://ca.home.arpa/healthz and the setup link answer, verified against the root"

# Pairing: a code from `homeca pair add` run as the homeca user, used by
# homeca-enroll from its own package.
added="$(as_homeca homeca pair add --name nas --ca-url https://127.0.0.1)"
code="$(grep -oE '[0-9]{4}-[0-9]{4}-[0-9]{4}' <<<"$added" | head -n1)"
[ -n "$code" ] || fail "homeca pair add printed no code"
in_root homeca-enroll pair --code - --ca https://127.0.0.1 --dir /var/lib/homeca-enroll \
  <<<"$code" >"$WORK/pair.log" 2>&1 || { cat "$WORK/pair.log"; fail "homeca-enroll pair failed"; }
dev="$root/var/lib/homeca-enroll"
openssl verify -CAfile "$dev/root.pem" -untrusted "$dev/chain.pem" "$dev/cert.pem" >/dev/null ||
  fail "the paired certificate does not verify"
openssl x509 -in "$dev/cert.pem" -noout -ext subjectAltName | grep -q 'DNS:nas.home.arpa' ||
  fail "the paired certificate is not for nas.home.arpa"
[ "$(openssl x509 -in "$dev/root.pem" -noout -fingerprint -sha256 | cut -d= -f2)" = "$fingerprint" ] ||
  fail "the device received another root"
grep -qF -e "$code" -e "${code//-/}" "$log" && fail "homecad logged the pairing code"
echo "   homeca-enroll paired nas.home.arpa; openssl verify accepts it"

# SIGHUP reloads under the filter (and may rebind 443: the capability holds).
sed -i 's/^;server_names =.*/server_names = ca.home.arpa, homeca.home.arpa/' \
  "$root/etc/homeca/homeca.conf"
kill -HUP "$daemon_pid"
wait_for_log "$log" "reload: applied"
grep -F "reload: applied" "$log" | sed 's/^/   /'
echo | openssl s_client -connect 127.0.0.1:443 -servername ca.home.arpa 2>/dev/null |
  openssl x509 -noout -ext subjectAltName | grep -q 'DNS:homeca.home.arpa' ||
  fail "after SIGHUP the served certificate lacks homeca.home.arpa"
sed -i 's/^server_names = .*/;server_names =/' "$root/etc/homeca/homeca.conf"

# Nothing outside the state directory was written; nothing in it is root's
# or readable by others.
stop_daemon
find "$root/var/lib/homeca" ! -uid "$uid" -printf '   not homeca'"'"'s: %p\n' | grep . &&
  fail "files in /var/lib/homeca not owned by homeca"
find "$root/var/lib/homeca" -mindepth 1 -perm /077 -name '*key*' -printf '   %m %p\n' | grep . &&
  fail "key files readable by others"
echo "   stopped cleanly on SIGTERM; /var/lib/homeca holds only homeca's files, keys 0600"
CHECKS
declare -f start_daemon wait_for_log stop_daemon fail in_root as_homeca root_fingerprint >"$work/functions.sh"
WORK="$work" unshare --net -- bash "$work/service_checks.sh" || fail "service checks failed"
before="$(root_fingerprint)"
certs_before="$(as_homeca homeca list 2>/dev/null | wc -l)"
[ "$certs_before" -gt 1 ] || fail "homeca list shows no certificates"

# An upgrade runs the maintainer scripts as one (preinst/postinst with the
# old version); the package over itself is the same path with no new schema.
step "an upgrade in place keeps the CA and every certificate"
in_root env DEBIAN_FRONTEND=noninteractive dpkg -i "/$homeca_deb" >"$work/upgrade.log" 2>&1 ||
  { cat "$work/upgrade.log"; fail "dpkg -i over the installed package failed"; }
[ "$(root_fingerprint)" = "$before" ] || fail "the root changed across an upgrade"
[ "$(as_homeca homeca list 2>/dev/null | wc -l)" = "$certs_before" ] ||
  fail "the certificate list changed across an upgrade"
echo "   root and $certs_before certificate lines unchanged"

step "remove keeps the CA; reinstall carries on with the same root"
apt_in_root remove -y homeca >/dev/null
[ -f "$root/var/lib/homeca/root.pem" ] || fail "remove deleted the CA"
[ -f "$root/etc/homeca/homeca.conf" ] || fail "remove deleted the conffile"
apt_in_root install -y --no-install-recommends "/$homeca_deb" >/dev/null
[ "$(root_fingerprint)" = "$before" ] || fail "the root changed across remove and reinstall"
echo "   root $before before and after"

step "purge deletes the CA and the configuration"
apt_in_root purge -y homeca homeca-enroll >/dev/null
[ ! -e "$root/var/lib/homeca" ] || fail "purge left /var/lib/homeca"
[ ! -e "$root/var/lib/homeca-names" ] || fail "purge left /var/lib/homeca-names"
[ ! -e "$root/etc/homeca" ] || fail "purge left /etc/homeca"
[ ! -e "$root/var/lib/homeca-enroll" ] || fail "purge left /var/lib/homeca-enroll"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/homeca.service" ] ||
  fail "purge left homeca.service enabled"
in_root getent passwd homeca >/dev/null && echo "   the homeca system user stays (Debian keeps system users)"
echo "PASSED: package install test"
