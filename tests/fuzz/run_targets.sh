#!/usr/bin/env bash
# Runs libFuzzer targets on their seed corpora and fails on any crash, leak,
# timeout or out-of-memory. Used by .ci/fuzz (bounded by time) and
# tests/fuzz/campaign.sh (bounded by executions).
#
# Usage: run_targets.sh BUILD_DIR OUT_DIR JOBS TARGET... -- LIBFUZZER_OPTION...
# Each target runs on a fresh working corpus in OUT_DIR/<target>/corpus
# (the repository's seeds in tests/fuzz/corpus/<target> are only read), with
# its log in OUT_DIR/<target>.log and any crashing input saved as
# OUT_DIR/<target>/crash-* (leak-*, timeout-*, oom-*). JOBS targets run at once.
set -euo pipefail
cd "$(dirname "$0")/../.."
build="$1" out="$2" jobs="$3"
shift 3
targets=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do targets+=("$1"); shift; done
[ "$#" -gt 0 ] && shift
options=("$@")

# Every input must finish in 10 s in under 2 GiB; leaks fail (LeakSanitizer).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

# Targets that read JSON get its tokens and integer boundaries as a dictionary.
dict_for() {
  case "$1" in
    fuzz_api_body | fuzz_enroll_service | fuzz_enroll_device) echo "-dict=tests/fuzz/dict/json.dict" ;;
    fuzz_acme_jws | fuzz_acme_request) echo "-dict=tests/fuzz/dict/acme.dict" ;;
  esac
}

run_one() {
  local t="$1"
  # A fresh working corpus, unless HOMECA_FUZZ_KEEP_CORPUS=1 (the campaign
  # resumes from what earlier runs found).
  [ "${HOMECA_FUZZ_KEEP_CORPUS:-0}" = 1 ] || rm -rf "${out:?}/$t"
  mkdir -p "$out/$t/corpus"
  # shellcheck disable=SC2046  # dict_for prints nothing or one word
  "$build/tests/fuzz/$t" $(dict_for "$t") -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/$t/" "${options[@]}" \
    "$out/$t/corpus" "tests/fuzz/corpus/$t" >"$out/$t.log" 2>&1
}

summary() {  # one line per target from its log
  local t="$1" rc="$2" log="$out/$1.log"
  local execs rate cov secs
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{print $2}' | tail -1)"
  rate="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | awk '{print $2}' | tail -1)"
  cov="$(grep -oE '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+')"
  secs="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' | tail -1)"
  printf '%-22s %-6s execs=%-10s exec/s=%-7s %-22s corpus=%s time=%ss\n' "$t" \
    "$([ "$rc" = 0 ] && echo ok || echo FAILED)" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "$(ls "$out/$t/corpus" | wc -l)" "${secs:-?}"
}

mkdir -p "$out"
declare -A pids=()
failed=0
pending=("${targets[@]}")
running=()
results=()
while [ "${#pending[@]}" -gt 0 ] || [ "${#running[@]}" -gt 0 ]; do
  while [ "${#pending[@]}" -gt 0 ] && [ "${#running[@]}" -lt "$jobs" ]; do
    t="${pending[0]}"
    pending=("${pending[@]:1}")
    run_one "$t" &
    pids[$t]=$!
    running+=("$t")
  done
  # Wait for any one target, then collect every target that has finished.
  wait -n || true
  still=()
  for t in "${running[@]}"; do
    if kill -0 "${pids[$t]}" 2>/dev/null; then
      still+=("$t")
    else
      rc=0
      wait "${pids[$t]}" || rc=$?
      results+=("$(summary "$t" "$rc")")
      echo "${results[-1]}"
      if [ "$rc" != 0 ]; then
        failed=1
        echo "---- $t failed (exit $rc); end of its log ($out/$t.log):"
        grep -E 'ERROR: |SUMMARY: |Test unit written|runtime error' "$out/$t.log" | head -20 || true
        tail -40 "$out/$t.log"
      fi
    fi
  done
  running=("${still[@]}")
done
exit "$failed"
