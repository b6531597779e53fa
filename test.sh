#!/usr/bin/env bash
# Runs every SessionGate test and prints the totals as "N passed, N failed".
#
# Needs: the .NET 10 SDK; Node.js >= 20 with npm (the interop tests ask the reference sr25519
# implementation, @polkadot/wasm-crypto, to verify signatures made by our C# code); redis-server
# (integration tests start real Redis processes); curl (the demo test runs the curl lines it prints);
# Debian's chromium and chromium-driver (browser tests drive a headless Chromium). Missing Debian packages are installed when run
# as root; .ci/run does the same and then calls this script.
set -uo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
rm -rf "$results"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${missing[*]} (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" || exit 1
  else
    echo "test.sh: please install ${missing[*]} first (e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

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
