#!/usr/bin/env bash
# Runs every SessionGate test and prints the totals as "N passed, N failed".
#
# Needs: the .NET 10 SDK, and Node.js >= 20 with npm (the interop tests ask the reference sr25519
# implementation, @polkadot/wasm-crypto, to verify signatures made by our C# code).
# .ci/run installs whatever a fresh machine lacks and then calls this script.
set -uo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
rm -rf "$results"

echo "== installing the reference sr25519 tools (npm ci in tools/sr25519-vectors)"
if ! (cd tools/sr25519-vectors && npm ci --no-audit --no-fund --loglevel=error); then
  echo "test.sh: npm ci failed in tools/sr25519-vectors (is Node.js >= 20 installed?)" >&2
  exit 1
fi

echo "== dotnet test"
dotnet test SessionGate.sln --configuration Release --logger "trx" --results-directory "$results"
status=$?

# Sum the counters of every TRX file (one per test project).
passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<< "$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<< "$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "test.sh: no test results were found in $results" >&2
  status=1
fi

echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
