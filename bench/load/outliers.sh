#!/usr/bin/env bash
# Latency outliers of the fault tests (docs/RELIABILITY.md, "Outliers"; issue 16 part 3): runs
# tests/SessionGate.IntegrationTests' RedisKillTests RUNS times and, meanwhile, attaches dotnet-counters
# (System.Runtime: GC pause time, gen-0/1/2 collections, thread-pool queue length and threads, CPU time;
# 1 s samples) to every gateway process the tests start, and records the machine with vmstat (run queue,
# CPU steal, iowait; 1 s). The tests print the slowest requests with their UTC time, the overlapping
# requests of the other workers and the test process's own stalls (Faults/StallProbe.cs), so each
# outlier can be lined up with the gateway's counters and the machine's load at that second.
#
# TRACE=1 also records the test process (testhost) with dotnet-trace's sampled thread time profile
# (every managed thread's stack ~100 times a second, waiting threads included) and lists, with
# bench/load/stages.py blocked, every thread-pool thread that stayed in one blocking call for 200 ms or more.
#
# usage: sg-cpu build bench/load/outliers.sh     (builds the integration tests first unless NO_BUILD=1)
# env:   RUNS=3  FILTER=FullyQualifiedName~Faults.RedisKillTests  OUT=artifacts/outliers  TRACE=0
#        TRACE_SECONDS=20 (the trace covers the first TRACE_SECONDS of the test process)
# Needs redis-server, dotnet-counters and dotnet-trace (`dotnet tool install -g dotnet-counters dotnet-trace`).
# Only processes started by this script's own `dotnet test` are watched (other checkouts' tests may run).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:$HOME/.dotnet/tools"
RUNS=${RUNS:-3}
FILTER=${FILTER:-FullyQualifiedName~Faults.RedisKillTests}
OUT=${OUT:-artifacts/outliers}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
command -v dotnet-counters >/dev/null || { echo "outliers.sh: dotnet-counters is missing" >&2; exit 1; }
if [ "${NO_BUILD:-0}" != 1 ]; then
  dotnet build tests/SessionGate.IntegrationTests -c Release -nologo -v q > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# vmstat with a UTC time stamp on every line (-t), once a second.
vmstat -t -w 1 > "$OUT/vmstat.txt" 2>&1 &
pids+=($!)

descendants() {  # every process below PID
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done
}
# Attach dotnet-counters to each gateway process (sessiongate.dll serve) below ROOT as soon as it
# appears, and (TRACE=1) dotnet-trace to the testhost; each collector ends with its process.
watch() {
  local root=$1 run=$2 seen=" " p cmd
  while kill -0 "$root" 2>/dev/null; do
    for p in $(descendants "$root"); do
      [[ $seen == *" $p "* ]] && continue
      cmd=$( (tr '\0' ' ' < "/proc/$p/cmdline") 2>/dev/null || true)
      if [[ $cmd == *"sessiongate.dll serve"* ]]; then
        seen+="$p "
        dotnet-counters collect -p "$p" --refresh-interval 1 --format csv -o "$OUT/gateway-$p.csv" \
          --counters System.Runtime > "$OUT/gateway-$p.counters.log" 2>&1 &
      elif [[ $cmd == *testhost.dll* ]]; then
        seen+="$p "
        dotnet-counters collect -p "$p" --refresh-interval 1 --format csv -o "$OUT/testhost-$run.csv" \
          --counters System.Runtime > "$OUT/testhost-$run.counters.log" 2>&1 &
        if [ "${TRACE:-0}" = 1 ]; then
          echo "testhost $p trace started $(date -u +%H:%M:%S.%N)" > "$OUT/testhost-$run.trace-start"
          # A fixed duration, so the trace ends (with its method rundown: names for the stacks)
          # before the test process does.
          dotnet-trace collect -p "$p" --profile dotnet-sampled-thread-time --format Speedscope \
            --duration "00:00:00:${TRACE_SECONDS:-20}" \
            -o "$OUT/testhost-$run.nettrace" > "$OUT/testhost-$run.trace.log" 2>&1 &
        fi
      fi
    done
    sleep 0.1
  done
}

for run in $(seq "$RUNS"); do
  echo "== run $run of $RUNS ($(date -u +%H:%M:%S) UTC)" >&2
  dotnet test tests/SessionGate.IntegrationTests -c Release --no-build --filter "$FILTER" \
    --logger 'console;verbosity=detailed' > "$OUT/test-$run.log" 2>&1 &
  test_pid=$!
  watch "$test_pid" "$run" &
  watch_pid=$!
  wait "$test_pid" || echo "   run $run: a test failed (see $OUT/test-$run.log)" >&2
  wait "$watch_pid" 2>/dev/null || true
  grep -E 'slowest' "$OUT/test-$run.log" | sed 's/^ *//' >&2 || true
  if [ "${TRACE:-0}" = 1 ]; then
    for _ in $(seq 150); do grep -q 'Conversion complete\|Writing:' "$OUT/testhost-$run.trace.log" 2>/dev/null && break; sleep 0.2; done
    sleep 1
    python3 "$(dirname "$0")/stages.py" blocked "$OUT/testhost-$run.speedscope.json" >&2 || true
  fi
done
echo "== counters: $OUT/gateway-*.csv; machine: $OUT/vmstat.txt" >&2
