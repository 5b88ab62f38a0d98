# LAN in a box: a small LAN made of network namespaces, for end-to-end tests
# with real avahi-daemons. Source it from a test script (bash), then:
#
#   lan_require_root_and_tools   # exits 77 (ctest: skipped) with the reason
#   lan_up ca device1 device2    # one bridge, one host per name
#   lan_run device1 avahi-browse -rtp _homeca._tcp
#   lan_bg ca "$log" homecad ...   # background; killed by lan_down
#   lan_avahi_stop ca / lan_avahi_start ca
#
# Layout: the namespace "<prefix>-br" holds a bridge (br0). Each host is the
# namespace "<prefix>-<name>" with one veth link, eth0, on that bridge, an
# IPv4 address 192.168.77.<10+i>/24 and its IPv6 link-local address. Each
# host has its own mount and UTS namespace (a "holder" process keeps them):
# its own host name, tmpfs over /run/dbus, /run/avahi-daemon and
# /etc/avahi/services, its own system dbus-daemon and its own avahi-daemon,
# configured for that host only (host-name=<name>, allow-interfaces=eth0, no
# reflector, no wide-area). Nothing runs in the machine's own network
# namespace: no avahi-daemon and no multicast there, ever.
#
# Teardown: lan_down runs on EXIT (also after a failure or a signal) and kills
# what this LAN started, by PID, then deletes its namespaces. The prefix is
# "hcl<PID of the test shell>", so a later run can find leftovers of a run
# that died (its PID no longer exists) and remove them, without touching a
# LAN that is still in use by a concurrent test.

LAN_SUBNET=192.168.77
LAN_PREFIX="hcl$$"
LAN_DIR=""
LAN_HOSTS=()
LAN_BG_PIDS=()

lan_log() { echo "lan: $*" >&2; }

lan_skip() {
  echo "SKIP: $*" >&2
  exit 77
}

lan_require_root_and_tools() {
  [ "$(id -u)" -eq 0 ] || lan_skip "needs root (network namespaces); run as root or in CI"
  local tool
  for tool in ip unshare nsenter dbus-daemon avahi-daemon avahi-browse avahi-publish; do
    command -v "$tool" >/dev/null 2>&1 ||
      lan_skip "needs '$tool' (apt-get install iproute2 util-linux dbus avahi-daemon avahi-utils)"
  done
  ip netns list >/dev/null 2>&1 || lan_skip "'ip netns' is not available here"
  # Probe: some containers refuse new network namespaces even to root.
  local probe="${LAN_PREFIX}-probe"
  ip netns add "$probe" 2>/dev/null || lan_skip "cannot create network namespaces here"
  ip netns del "$probe"
}

# Kills the processes inside namespace $1 (all ours: we made the namespace)
# and deletes it.
lan_delete_ns() {
  local ns="$1" pid
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null; done
  sleep 0.2
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null || true
}

# Removes namespaces left by LAN runs whose test shell is gone.
lan_cleanup_leftovers() {
  local ns owner
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^hcl[0-9]+-' || true); do
    owner="${ns#hcl}"
    owner="${owner%%-*}"
    if ! kill -0 "$owner" 2>/dev/null; then
      lan_log "removing leftover namespace $ns"
      lan_delete_ns "$ns"
    fi
  done
}

lan_down() {
  local status=$? pid name
  # A test may define lan_on_failure to show its logs before they go.
  if [ "$status" -ne 0 ] && [ "$status" -ne 77 ] && declare -F lan_on_failure >/dev/null; then
    lan_on_failure || true
  fi
  for pid in "${LAN_BG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${LAN_BG_PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  for name in "${LAN_HOSTS[@]}"; do lan_delete_ns "$LAN_PREFIX-$name"; done
  lan_delete_ns "$LAN_PREFIX-br"
  if [ -n "$LAN_DIR" ] && [ -z "${LAN_KEEP:-}" ]; then rm -rf "$LAN_DIR"; fi
}

lan_ns() { echo "$LAN_PREFIX-$1"; }
lan_ip() {
  local i=0 name
  for name in "${LAN_HOSTS[@]}"; do
    [ "$name" = "$1" ] && { echo "$LAN_SUBNET.$((10 + i))"; return; }
    i=$((i + 1))
  done
  return 1
}
lan_holder() { cat "$LAN_DIR/$1/holder.pid"; }

# Runs a command on host $1, in its network, mount and UTS namespaces.
lan_run() {
  local host="$1"
  shift
  nsenter -t "$(lan_holder "$host")" -n -m -u -- "$@"
}

# Runs a command on host $1 in the background, output to file $2; lan_down
# kills it. Sets LAN_LAST_PID.
lan_bg() {
  local host="$1" log="$2"
  shift 2
  nsenter -t "$(lan_holder "$host")" -n -m -u -- "$@" >"$log" 2>&1 &
  LAN_LAST_PID=$!
  LAN_BG_PIDS+=("$LAN_LAST_PID")
}

# Waits until file $1 contains the fixed string $2, for at most $3 seconds.
lan_wait_for_line() {
  local file="$1" text="$2" seconds="${3:-10}" i
  for ((i = 0; i < seconds * 20; i++)); do
    grep -qF -- "$text" "$file" 2>/dev/null && return 0
    sleep 0.05
  done
  lan_log "timed out after ${seconds}s waiting for '$text' in $file"
  return 1
}

lan_write_host_files() {
  local name="$1" dir="$LAN_DIR/$1"
  mkdir -p "$dir"
  cat >"$dir/avahi-daemon.conf" <<EOF
[server]
host-name=$name
domain-name=local
use-ipv4=yes
use-ipv6=yes
allow-interfaces=eth0
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000

[wide-area]
enable-wide-area=no

[publish]
publish-hinfo=no
publish-workstation=yes

[reflector]
enable-reflector=no
EOF
  # The holder: runs inside the host's new mount and UTS namespaces, sets
  # them up, starts dbus-daemon, and stays as the handle others enter.
  cat >"$dir/holder.sh" <<'EOF'
set -u
dir="$1"
name="$2"
echo $$ >"$dir/holder.pid"
hostname "$name"
mount -t tmpfs -o mode=0755 tmpfs /run/dbus
mount -t tmpfs -o mode=0755 tmpfs /run/avahi-daemon
mount -t tmpfs -o mode=0755 tmpfs /etc/avahi/services
dbus-daemon --system --nofork --nopidfile >"$dir/dbus.log" 2>&1 &
echo $! >"$dir/dbus.pid"
for _ in $(seq 100); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.02; done
echo ready >"$dir/holder.ready"
exec sleep infinity
EOF
}

# Starts avahi-daemon on host $1 and waits until it has its host name.
lan_avahi_start() {
  local name="$1" dir="$LAN_DIR/$1"
  : >"$dir/avahi.log"
  nsenter -t "$(lan_holder "$name")" -n -m -u -- avahi-daemon -f "$dir/avahi-daemon.conf" \
    --no-drop-root --no-chroot --no-rlimits --no-proc-title >>"$dir/avahi.log" 2>&1 &
  disown $!  # its end (even a SIGKILL in a test) is no news for the shell
  lan_wait_for_line "$dir/avahi.log" "Server startup complete" 10
}

# The PID of host $1's avahi-daemon (from its own pid file).
lan_avahi_pid() { lan_run "$1" cat /run/avahi-daemon/pid 2>/dev/null; }

# Stops host $1's avahi-daemon: SIGTERM by default (it says goodbye to the
# LAN first), or the signal given as $2 (KILL: it vanishes without a word).
lan_avahi_stop() {
  local pid
  pid="$(lan_avahi_pid "$1")" || return 0
  kill "-${2:-TERM}" "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null
}

lan_up() {
  lan_cleanup_leftovers
  LAN_DIR="$(mktemp -d /tmp/homeca-lan.XXXXXX)"
  trap lan_down EXIT
  trap 'exit 130' INT TERM
  # The mount points the hosts put their tmpfs on; the package's own runtime
  # directory, empty, if avahi-daemon never ran on this machine.
  mkdir -p /run/dbus /run/avahi-daemon /etc/avahi/services
  local br="$LAN_PREFIX-br" i=0 name ns
  ip netns add "$br"
  ip -n "$br" link add br0 type bridge mcast_snooping 0
  ip -n "$br" link set br0 up
  for name in "$@"; do
    ns="$LAN_PREFIX-$name"
    LAN_HOSTS+=("$name")
    ip netns add "$ns"
    ip -n "$br" link add "v-$name" type veth peer name eth0 netns "$ns"
    ip -n "$br" link set "v-$name" master br0 up
    # No duplicate address detection: link-local addresses usable at once.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$LAN_SUBNET.$((10 + i))/24" dev eth0
    ip -n "$ns" link set eth0 up
    i=$((i + 1))
    lan_write_host_files "$name"
    ip netns exec "$ns" unshare --mount --uts --propagation private \
      bash "$LAN_DIR/$name/holder.sh" "$LAN_DIR/$name" "$name" &
  done
  for name in "$@"; do
    lan_wait_for_line "$LAN_DIR/$name/holder.ready" ready 10 || return 1
  done
  # avahi-daemons start in parallel: each spends most of a second probing
  # for its host name.
  for name in "$@"; do lan_avahi_start "$name" >/dev/null 2>&1 & done
  for name in "$@"; do
    lan_wait_for_line "$LAN_DIR/$name/avahi.log" "Server startup complete" 10 || return 1
  done
}
