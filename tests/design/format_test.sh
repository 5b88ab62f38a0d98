#!/usr/bin/env bash
# Every C and C++ source in the repository follows .clang-format (the
# project's style, Google's with 100 columns). Prints the files that do not;
# `clang-format -i FILE` fixes one. Skips (77) where clang-format is missing.
set -u
root="$1"
command -v clang-format >/dev/null 2>&1 || { echo "SKIP: needs clang-format"; exit 77; }
cd "$root" || exit 1
bad=0
count=0
while IFS= read -r f; do
  count=$((count + 1))
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f"
    bad=$((bad + 1))
  fi
done < <(git ls-files -- '*.h' '*.hpp' '*.cpp' '*.c' | grep -v '/node_modules/')
echo "format: $bad of $count files differ from .clang-format"
[ "$count" -gt 0 ] && [ "$bad" -eq 0 ]
