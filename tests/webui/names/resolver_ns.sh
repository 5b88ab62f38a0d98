# Shared by dnsmasq_test.sh and unbound_test.sh: a network namespace with
# loopback only, for a real resolver that must never run in the machine's
# own network. Source it, then:
#
#   ns_require_root_and_tools TOOL...   # exits 77 (ctest: skipped) with the reason
#   ns_up                               # creates $NS and $WORK, cleans up on EXIT
#   ns_bg LOG COMMAND...                # runs COMMAND in $NS, in the background
#   ns_run COMMAND...                   # runs COMMAND in $NS
#   query NAME TYPE                     # "RCODE answers..." from the resolver at
#                                       # $RESOLVER (default 127.0.0.1)
#
# The namespace is "hcn<PID of the test shell>"; one left by a run that died
# (its PID gone) is removed by the next run.

NS="hcn$$"
WORK=""
NS_BG_PIDS=()
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

ns_skip() {
  echo "SKIP: $*" >&2
  exit 77
}

ns_require_root_and_tools() {
  [ "$(id -u)" -eq 0 ] || ns_skip "needs root (network namespaces); run as root or in CI"
  local tool
  for tool in ip python3 "$@"; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "$tool" ] || ns_skip "needs '$tool' (see .ci/deps)"
  done
  [ -x "${NAMES_EXPORT:-}" ] || ns_skip "NAMES_EXPORT is not the built names_export (run through ctest)"
  ip netns add "$NS-probe" 2>/dev/null || ns_skip "cannot create network namespaces here"
  ip netns del "$NS-probe"
}

ns_down() {
  local status=$? pid
  if [ "$status" -ne 0 ] && [ "$status" -ne 77 ] && declare -F ns_on_failure >/dev/null; then
    ns_on_failure || true
  fi
  for pid in "${NS_BG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${NS_BG_PIDS[@]}"; do
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  ip netns del "$NS" 2>/dev/null || true
  if [ -n "$WORK" ] && [ -z "${NS_KEEP:-}" ]; then rm -rf "$WORK"; fi
}

ns_up() {
  local ns owner pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^hcn[0-9]+$' || true); do
    owner="${ns#hcn}"
    if ! kill -0 "$owner" 2>/dev/null; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
  trap ns_down EXIT
  WORK="$(mktemp -d /tmp/homeca-names.XXXXXX)"
  # The resolver drops root for its own user: it must reach the export.
  chmod 0755 "$WORK"
  ip netns add "$NS"
  ip -n "$NS" link set lo up
}

ns_run() { ip netns exec "$NS" "$@"; }

ns_bg() {
  local log="$1"
  shift
  ip netns exec "$NS" "$@" >"$log" 2>&1 &
  NS_BG_PIDS+=("$!")
}

query() { ns_run python3 "$HERE/dns_query.py" "${RESOLVER:-127.0.0.1}" "$@"; }

# Checks that `query ARGS...` prints EXPECTED.
expect() {
  local expected="$1" got
  shift
  got="$(query "$@")"
  if [ "$got" != "$expected" ]; then
    echo "FAIL: query $* gave '$got', expected '$expected'" >&2
    exit 1
  fi
  echo "   ${RESOLVER:-127.0.0.1}: $* -> $got"
}

# Waits until the resolver answers at all (it is listening).
wait_for_resolver() {
  for _ in $(seq 100); do
    query probe.home.arpa A >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "FAIL: the resolver never answered" >&2
  exit 1
}

# Prints min/median/max of the numbers on stdin.
summary() { sort -n | awk '{v[NR]=$1} END {printf "min %d ms, median %d ms, max %d ms (%d runs)", v[1], v[int((NR+1)/2)], v[NR], NR}'; }
