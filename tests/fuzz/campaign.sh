#!/usr/bin/env bash
# The long fuzzing campaign (docs/security-checks.md): each target for
# HOMECA_FUZZ_RUNS executions (default 10^7) on its seed corpus, one target
# at a time (HOMECA_FUZZ_JOBS to run more at once), niced. Builds the targets
# first if needed. Fails on any crash, leak, timeout or out-of-memory; the
# summary lines (executions, exec/s, coverage, corpus size, time) are what
# docs/security-checks.md records. A campaign stopped early (Ctrl-C) resumes
# from its working corpora in $HOMECA_FUZZ_OUT when started again.
#
# Usage: tests/fuzz/campaign.sh [TARGET...]   (default: every target)
#        HOMECA_FUZZ_BUILD=build-fuzz HOMECA_FUZZ_OUT=build-fuzz/campaign
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${HOMECA_FUZZ_BUILD:-build-fuzz}"
out="${HOMECA_FUZZ_OUT:-$build/campaign}"
runs="${HOMECA_FUZZ_RUNS:-10000000}"
jobs="${HOMECA_FUZZ_JOBS:-1}"
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(fuzz_enroll_service fuzz_enroll_device fuzz_csr_names fuzz_mdns fuzz_api_body
           fuzz_backup_archive fuzz_acme_jws fuzz_acme_request)
fi
if [ ! -d "$build" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DHOMECA_FUZZ=ON \
    -DHOMECA_BUILD_TESTS=OFF -DHOMECA_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
nice cmake --build "$build" --target homeca_fuzz
echo "== campaign: ${targets[*]}: $runs executions each, $jobs at a time; logs in $out"
# Resumes from the working corpora of earlier campaign runs in $out.
HOMECA_FUZZ_KEEP_CORPUS=1 exec nice bash tests/fuzz/run_targets.sh "$build" "$out" "$jobs" "${targets[@]}" -- -runs="$runs"
