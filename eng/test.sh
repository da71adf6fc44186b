#!/usr/bin/env bash
# The README's test command: makes sure a container engine and the images are there, then runs every test.
#   eng/test.sh [extra dotnet test arguments]
# Prints "N passed, N failed[, N skipped]" on its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=eng/common.sh
source "$here/common.sh"

engine="$("$here/ensure-engine.sh" | tail -n 1)"
while IFS= read -r line; do
  [ -n "$line" ] && export "${line?}"
done < <("$here/ensure-tools.sh")
export AGEPAR_ENGINE="$engine"
while IFS= read -r line; do
  [ -n "$line" ] && export "${line?}"
done < <(AGEPAR_ENGINE="$engine" "$here/ensure-images.sh")
# Aspire talks to Docker unless told otherwise.
[ "$engine" = podman ] && export ASPIRE_CONTAINER_RUNTIME=podman

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
cd "$root"
console="$results/console.log"
set +e
dotnet test Agepar.sln -c Release --logger "trx;LogFilePrefix=agepar" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" 2>&1 | tee "$console"
status=${PIPESTATUS[0]}
set -e

# CI shows the tail of the output: repeat each failed test with its message and the top of its stack there,
# so the reason is never scrolled away by later tests.
if grep -qE '^  Failed ' "$console"; then
  echo
  echo "==================== failed tests (repeated from above; full log: $console) ===================="
  awk '
    /^  (Passed|Skipped) / { keep = 0 }
    /^  Failed /           { keep = 1; lines = 0; print "" }
    keep && lines < 40     { print; lines++ }
  ' "$console"
  echo "================================================================================================="
fi

# Code style (.editorconfig): whitespace, layout and style rules, without building again. A violation fails the run
# and says how to fix it; `dotnet format Agepar.sln` applies the fixes.
if ! dotnet format Agepar.sln --verify-no-changes --no-restore -v q >"$results/format.log" 2>&1; then
  echo
  echo "==================== code style: dotnet format found changes to make (run: dotnet format Agepar.sln) ===================="
  head -n 40 "$results/format.log"
  status=1
fi

# A plain summary line from the TRX counters of every test project (what CI reads).
passed=0; failed=0; total=0; executed=0; reports=0
while IFS= read -r trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$(( passed + $(get passed) )); failed=$(( failed + $(get failed) ))
  total=$(( total + $(get total) )); executed=$(( executed + $(get executed) )); reports=$(( reports + 1 ))
done < <(find "$results" -name '*.trx')
if [ "$reports" -gt 0 ]; then
  echo "${passed} passed, ${failed} failed, $(( total - executed )) skipped"
fi
exit "$status"
