#!/usr/bin/env bash
# Web UI server time and the daemon's memory, with many certificates stored.
# usage: bench/webui.sh [BUILD_DIR] [CERTIFICATES] [REQUESTS_PER_PAGE]
#
# Fills a fresh CA with CERTIFICATES (bench/fill_store: IssueBatch, every
# tenth revoked), starts a real homecad --dev on loopback, logs in through
# the first-run setup link like a browser would (cookie and CSRF token), then
# asks each page REQUESTS_PER_PAGE times over one kept-alive TLS connection
# (curl). Server time per request = time_total - time_pretransfer: from the
# request leaving to the last byte arriving, with no handshake in it. Memory
# is VmRSS/VmHWM from /proc: after start, idle, and after the pages.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
count="${2:-10000}"
requests="${3:-200}"
work="$(mktemp -d "$PWD/$build/bench-webui.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

memory() {  # label: VmRSS and VmHWM of the daemon, in MiB
  awk -v label="$1" '/^VmRSS|^VmHWM/ { v[$1] = $2 / 1024 }
    END { printf "%-34s VmRSS %.1f MiB, VmHWM %.1f MiB\n", label, v["VmRSS:"], v["VmHWM:"] }' \
    "/proc/$pid/status"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

start_homecad() {  # data dir
  : >"$work/homecad.log"
  "$build/webui/homecad" --dev --data-dir="$1" --https-port=0 --http-port=0 \
    >"$work/homecad.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do grep -q "listening on" "$work/homecad.log" && break; sleep 0.05; done
  port="$(sed -nE 's/.*homecad listening on https:\/\/[^:]+:([0-9]+).*/\1/p' "$work/homecad.log")"
  [ -n "$port" ] || { cat "$work/homecad.log"; exit 1; }
  base="https://ca.home.arpa:$port"
  tls=(--cacert "$1/root.pem" --resolve "ca.home.arpa:$port:127.0.0.1")
}

stop_homecad() {
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

echo "machine: $(nproc) CPUs, $(sed -nE 's/model name\s*: //p' /proc/cpuinfo | head -1)," \
  "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"

# The footprint of a fresh CA, for comparison.
start_homecad "$work/empty"
sleep 2
memory "fresh CA, idle after start:"
stop_homecad

"$build/bench/fill_store" "$work/ca" "$count"
echo "store: $(du -h "$work/ca/ca.db" | cut -f1) ($count certificates)"
start_homecad "$work/ca"
sleep 2
memory "$count certificates, idle after start:"

# Logs in as a browser does: the setup form (its hidden CSRF field) sets the
# password, then the login form.
jar="$work/cookies"
form_fields() {  # HTML on stdin -> "name=value&" for every hidden input
  python3 -c '
import html.parser, sys, urllib.parse
class P(html.parser.HTMLParser):
    fields = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden":
            self.fields.append((a.get("name", ""), a.get("value", "")))
p = P(); p.feed(sys.stdin.read())
print(urllib.parse.urlencode(p.fields), end="")'
}
password="bench password $(date +%s%N)"
setup="$(sed -nE 's/.*first-run setup: https:\/\/[^/]+(\/setup\?token=[A-Za-z0-9_-]+).*/\1/p' "$work/homecad.log")"
[ -n "$setup" ] || { echo "no setup link in the log"; cat "$work/homecad.log"; exit 1; }
hidden="$(curl -sS "${tls[@]}" -c "$jar" -b "$jar" "$base$setup" | form_fields)"
curl -sS "${tls[@]}" -c "$jar" -b "$jar" -o /dev/null "$base$setup" \
  --data-urlencode "password=$password" --data-urlencode "password-confirm=$password" \
  --data "$hidden"
hidden="$(curl -sS "${tls[@]}" -c "$jar" -b "$jar" "$base/login" | form_fields)"
curl -sS "${tls[@]}" -c "$jar" -b "$jar" -o /dev/null "$base/login" \
  --data-urlencode "password=$password" --data "$hidden"
status="$(curl -sS "${tls[@]}" -b "$jar" -o /dev/null -w '%{http_code}' "$base/certificates")"
[ "$status" = 200 ] || { echo "login failed: /certificates answered $status"; exit 1; }
memory "after setup and login (scrypt):"

# One curl, REQUESTS_PER_PAGE transfers of one URL over one connection; the
# first (with the TLS handshake) is dropped.
measure() {  # path
  local config="$work/curl.conf" before after
  : >"$config"
  for _ in $(seq "$requests"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$base$1" >>"$config"; done
  before="$(cpu_ticks)"
  curl -sS --no-sessionid "${tls[@]}" -b "$jar" -K "$config" \
    -w '%{http_code} %{time_pretransfer} %{time_starttransfer} %{time_total} %{size_download} %{num_connects}\n' \
    >"$work/times"
  after="$(cpu_ticks)"
  hwm="$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")"
  tail -n +2 "$work/times" | python3 -c '
import statistics, sys
path, ticks, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [l.split() for l in sys.stdin]
codes = ",".join(sorted({r[0] for r in rows}))
server = sorted((float(r[3]) - float(r[1])) * 1000 for r in rows)
ttfb = sorted((float(r[2]) - float(r[1])) * 1000 for r in rows)
p99 = lambda v: v[min(len(v) - 1, int(round(0.99 * (len(v) - 1))))]
print(f"| `{path}` | {statistics.median(server):.2f} | {p99(server):.2f} | "
      f"{statistics.median(ttfb):.2f} | {int(rows[0][4]) // 1024} KiB | "
      f"{1000 * ticks / hz / (len(rows) + 1):.2f} | {sum(int(r[5]) for r in rows)} | "
      f"{codes} | {sys.argv[4]} |")' "$1" "$((after - before))" "$(getconf CLK_TCK)" "$hwm"
}

echo
echo "| page | server ms, median | p99 | first byte ms, median | size | daemon CPU ms/request | new connections | HTTP status | VmHWM after, MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
for page in / /certificates "/certificates?page=50" "/certificates?status=revoked" \
  "/certificates?q=device-4242" /devices /audit /healthz; do
  measure "$page"
done
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) (wall times stretch with it; CPU per request does not)"
echo
memory "after the pages:"
sleep 5
memory "idle 5 s later:"
