#!/usr/bin/env bash
# Pairing throughput and latency against a real homecad on loopback, next to
# the EC-operation floor of one pairing on the daemon.
# usage: bench/pairing.sh [BUILD_DIR] [DEVICES] [CONCURRENCY] [burst|closed]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
devices="${2:-320}"
concurrency="${3:-32}"
mode="${4:-burst}"
work="$(mktemp -d "$PWD/$build/bench-pairing.XXXXXX")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$build/webui/homecad" --dev --data-dir="$work/ca" --https-port="$port" --http-port=0 \
  --exchanges-per-minute=1000000 >"$work/homecad.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/homecad.log" && break; sleep 0.1; done

# Daemon-side EC work per pairing: SPAKE2+ verifier 5 scalar multiplications
# (y*G, w0*N, w0*M, y*(X - w0*M), y*L), the TLS handshake's ECDHE 2 (key
# generation, shared secret) and 1 ECDSA signature, then the CSR's signature
# check (1 verify) and the certificate's signature (1 sign).
speed="$(openssl speed -seconds 3 ecdhp256 ecdsap256 2>/dev/null)"
ecdh="$(awk '/ecdh \(nistp256\)/ {print $NF}' <<<"$speed")"
sign="$(awk '/ecdsa \(nistp256\)/ {print $(NF-1)}' <<<"$speed")"
verify="$(awk '/ecdsa \(nistp256\)/ {print $NF}' <<<"$speed")"
floor="$(awk -v e="$ecdh" -v s="$sign" -v v="$verify" \
  'BEGIN { printf "%.3f", 1000 * (7 / e + 2 / s + 1 / v) }')"
echo "openssl speed: ecdh ${ecdh}/s, ecdsa sign ${sign}/s, verify ${verify}/s"
echo "EC floor per pairing on the daemon (7 ECDH + 2 sign + 1 verify): ${floor} ms CPU"
"$build/bench/pairing_load" "https://127.0.0.1:$port" "$work/ca" "$devices" "$concurrency" "$pid" "$mode"
