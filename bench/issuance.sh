#!/usr/bin/env bash
# Issuance throughput next to the machine's own ECDSA P-256 limit.
# usage: bench/issuance.sh [BUILD_DIR] [ISSUANCES]
# The store lives in a directory on the disk (not tmpfs), so every commit is a
# real fdatasync with synchronous=FULL.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
n="${2:-4000}"
work="$(mktemp -d "$PWD/$build/bench-issuance.XXXXXX")"
trap 'rm -rf "$work"' EXIT

rates() { awk '/nistp256/ {print $(NF-1), $NF}'; }
speed1="$(openssl speed -seconds 5 ecdsap256 2>/dev/null | rates)"
speed2="$(openssl speed -seconds 5 -multi 2 ecdsap256 2>/dev/null | rates)"
bound() { awk -v s="${1% *}" -v v="${1#* }" 'BEGIN { printf "%.0f", 1 / (1/s + 1/v) }'; }
bound1="$(bound "$speed1")"
bound2="$(bound "$speed2")"
echo "openssl speed ecdsap256, 1 process:  sign/s verify/s = ${speed1}; bound per issuance ${bound1}/s"
echo "openssl speed -multi 2 ecdsap256:    sign/s verify/s = ${speed2}; bound per issuance ${bound2}/s"
# What one durable commit costs on this disk: 4 KiB synchronous writes.
dd if=/dev/zero of="$work/dsync" bs=4k count=200 oflag=dsync 2>&1 |
  awk '/copied/ { printf "synchronous 4 KiB write: %.2f ms each\n", $(NF-3) * 1000 / 200 }'
echo
echo "| threads | mode | issuances/s | % of 1-core bound | % of 2-core bound |"
echo "|---|---|---|---|---|"
for threads in 1 2; do
  for batch in 1 64 256; do
    line="$("$build/bench/issuance_bench" "$work" "$n" "$threads" "$batch")"
    rate="$(sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$line")"
    mode=$([ "$batch" = 1 ] && echo "one per call" || echo "batch of $batch")
    pct() { awk -v r="$rate" -v b="$1" 'BEGIN { printf "%.0f%%", 100 * r / b }'; }
    echo "| $threads | $mode | $rate | $(pct "$bound1") | $(pct "$bound2") |"
  done
done
echo
echo "two processes, one thread each, batch of 256, separate stores:"
mkdir -p "$work/p1" "$work/p2"
"$build/bench/issuance_bench" "$work/p1" "$n" 1 256 &
"$build/bench/issuance_bench" "$work/p2" "$n" 1 256 &
wait
