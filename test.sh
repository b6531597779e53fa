#!/usr/bin/env bash
# Runs every SessionGate test and prints the totals as "N passed, N failed".
#
# Needs: the .NET 10 SDK; Node.js >= 20 with npm (the interop tests ask the reference sr25519
# implementation, @polkadot/wasm-crypto, to verify signatures made by our C# code; clients/js has
# its own tests, run with node --test and counted in the totals); redis-server
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

echo "== installing the Keplr test wallet (npm ci in tools/keplr-test-wallet; the JS and browser grant tests use it)"
if ! (cd tools/keplr-test-wallet && npm ci --no-audit --no-fund --loglevel=error); then
  echo "test.sh: npm ci failed in tools/keplr-test-wallet" >&2
  exit 1
fi

echo "== JavaScript client tests (npm ci + node --test in clients/js)"
mkdir -p "$results"
js_results="$PWD/$results/clients-js.junit.xml"
(cd clients/js && npm ci --no-audit --no-fund --loglevel=error \
  && node --test --test-reporter=dot --test-reporter-destination=stdout \
       --test-reporter=junit --test-reporter-destination="$js_results" test/*.test.js)
js_status=$?

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

# The JavaScript tests' JUnit report: one <testcase> per test, a <failure> inside each failed one.
if [ -f "$js_results" ]; then
  js_cases=$(grep -o '<testcase ' "$js_results" | wc -l)
  js_failed=$(grep -o '<failure ' "$js_results" | wc -l)
  js_skipped=$(grep -o '<skipped' "$js_results" | wc -l)
  passed=$((passed + js_cases - js_failed - js_skipped))
  failed=$((failed + js_failed))
fi
if [ "$js_status" -ne 0 ]; then
  echo "test.sh: the JavaScript client tests failed (clients/js)" >&2
  # npm ci failing, or a crash before any test ran, still shows in the totals.
  if [ "${js_failed:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
  status=1
fi

if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "test.sh: no test results were found in $results" >&2
  status=1
fi

echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
