#!/usr/bin/env bash
# Profile one load scenario of bench/load/run.sh (issue 12, "Measure first"): where does the gateway's
# CPU per request go?  Starts the gateway exactly as run.sh does for that scenario, in front of the same
# nginx "return 200" upstream, drives it with wrk (requests.lua, the same kira_session headers), and:
#   phase 1 (DURATION s): dotnet-counters (System.Runtime meter: CPU time, bytes allocated, GC counts;
#            Microsoft.AspNetCore.Hosting EventCounters: requests) and /proc CPU ticks, no tracer attached
#            -> CPU µs/request, bytes allocated/request, GCs per 1,000 requests, req/s;
#   phase 2 (TRACE_SECONDS s, same load): dotnet-trace with the managed sample profiler
#            (Microsoft-DotNETCore-SampleProfiler, every thread's stack each ~1 ms), speedscope output,
#            aggregated by bench/load/stages.py into a per-stage table (Kestrel, routing, SessionGate
#            middleware, rate limiter, Redis client, YARP, metrics, logging, ...) and the top self-time
#            methods. Stage shares of the sampled *busy* thread time are scaled to phase 1's CPU µs/request.
# The two phases are separate so that the tracer's own overhead does not inflate the counters' figures.
#
# Scenarios (as in run.sh):
#   B   bare YARP: `sessiongate serve --bare-proxy` (SessionGate off), same settings file as C
#   C0  SessionGate, reused valid headers (cached verdicts), in-memory stores (loadtool config --redis none)
#   C   SessionGate, reused valid headers (cached verdicts), Redis limiter
#
# usage: bench/load/profile.sh build                 build TREE (Release); wrap in `sg-cpu build`
#        bench/load/profile.sh B|C0|C [B|C0|C ...]   profile (one after the other); wrap in `sg-cpu bench`
# env:   TREE=<checkout to build and run, default: this one; the old code works too, e.g. /work/wt/baseline>
#        OUT=artifacts/profile  DURATION=15s  WARMUP=30s (on 2 busy cores tier-1/PGO re-JIT
#        runs for ~20 s of load; see jit_ms_in_window in summary.env)  TRACE_SECONDS=10  RATE=0 (0: saturation, else
#        paced at RATE req/s in total, as run.sh's paced runs)  CONNECTIONS=64  THREADS=2  ACCOUNTS=1000
#        TRACE=1 (0: counters only)
#        GATEWAY_ENV="VAR=value ..." extra environment of the gateway process, e.g.
#          GATEWAY_ENV=DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (idle thread-pool workers do not spin)
# Needs wrk, nginx, redis-server, curl, python3, and the dotnet tools dotnet-counters and dotnet-trace
# (`dotnet tool install -g dotnet-counters dotnet-trace`; ~/.dotnet/tools is added to PATH here).
# Writes to $OUT/<scenario>/: counters.csv, trace.nettrace(+ .speedscope.json), stages.md, summary.env,
# wrk and gateway logs; and prints stages.md.
#
# The helpers below (free_port, wait_http, nginx_conf, cpu_ticks, start_gateway, the wrk call) are the
# ones of run.sh, copied so that this script can run any checkout's binaries (TREE), old code included.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TREE=$(cd "${TREE:-$here/../..}" && pwd)
export PATH="$PATH:$HOME/.dotnet/tools"

seconds() { local v=$1; case "$v" in *m) echo $(( ${v%m} * 60 )) ;; *s) echo "${v%s}" ;; *) echo "$v" ;; esac; }
DURATION=$(seconds "${DURATION:-15s}")
WARMUP=$(seconds "${WARMUP:-30s}")
TRACE_SECONDS=$(seconds "${TRACE_SECONDS:-10}")
RATE=${RATE:-0}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ACCOUNTS=${ACCOUNTS:-1000}
TRACE=${TRACE:-1}
OUT=${OUT:-artifacts/profile}
CORES=$(nproc)
log() { echo "== $*" >&2; }

SESSIONGATE=$TREE/src/SessionGate.Proxy/bin/Release/net10.0/sessiongate.dll
LOADTOOL=$TREE/bench/SessionGate.LoadTool/bin/Release/net10.0/SessionGate.LoadTool.dll
build() {
  log "building $TREE (Release)"
  dotnet build "$TREE/src/SessionGate.Proxy" -c Release -nologo -v q
  dotnet build "$TREE/bench/SessionGate.LoadTool" -c Release -nologo -v q
}
if [ "${1:-}" = build ]; then build; exit 0; fi
[ $# -ge 1 ] || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
for s in "$@"; do case "$s" in B|C0|C) ;; *) echo "profile.sh: unknown scenario '$s' (B, C0 or C)" >&2; exit 2 ;; esac; done
for n in DURATION WARMUP TRACE_SECONDS CONNECTIONS THREADS ACCOUNTS; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "profile.sh: $n must be a positive integer, not '${!n}'" >&2; exit 2; }
done
[[ $RATE =~ ^[0-9]+$ ]] || { echo "profile.sh: RATE must be a number of requests/s (0: saturation)" >&2; exit 2; }
for t in wrk curl python3 dotnet-counters dotnet-trace redis-server; do
  command -v "$t" >/dev/null 2>&1 || { echo "profile.sh: $t is missing (see the header of $0)" >&2; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx); [ -x "$NGINX" ] || { echo "profile.sh: nginx is missing" >&2; exit 1; }
if [ ! -f "$SESSIONGATE" ] || [ ! -f "$LOADTOOL" ]; then
  echo "profile.sh: $TREE is not built; run 'sg-cpu build env TREE=$TREE $0 build' first" >&2; exit 1
fi
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)

# --- processes: every one is recorded and stopped on exit ------------------------------------------
work=$(mktemp -d /tmp/sessiongate-profile.XXXXXX)
pids=()
stop() {
  local pid=$1 p kept=()
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}
cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do stop "$pid"; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'echo "profile.sh: interrupted" >&2; exit 130' INT TERM

used_ports=" "
free_port() {
  local port
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 12000 ))  # below ip_local_port_range (32768+): an outgoing connection can hold any port above it
    [[ $used_ports == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then used_ports+="$port "; PORT=$port; return; fi
  done
  echo "profile.sh: no free port found" >&2; exit 1
}
wait_http() {  # URL PID NAME LOG
  local url=$1 pid=$2 name=$3 logfile=$4
  for _ in $(seq 600); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "profile.sh: $name exited during start-up:" >&2; tail -n 40 "$logfile" >&2; exit 1; fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ]; then return; fi
    sleep 0.1
  done
  echo "profile.sh: $name did not answer 200 at $url within 60 s" >&2; tail -n 40 "$logfile" >&2; exit 1
}
cpu_ticks() {  # user+system clock ticks of one process (all its threads)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}
TICKS=$(getconf CLK_TCK)
nginx_conf() {  # DIR < HTTP_BLOCK_BODY (as run.sh)
  local dir=$1
  {
    printf 'worker_processes %s;\npid %s/nginx.pid;\nerror_log %s/error.log warn;\n' "$CORES" "$dir" "$dir"
    printf 'events { worker_connections 8192; }\nhttp {\n  access_log off;\n'
    printf '  client_body_temp_path %s/body; proxy_temp_path %s/proxy; fastcgi_temp_path %s/fastcgi;\n' "$dir" "$dir" "$dir"
    printf '  uwsgi_temp_path %s/uwsgi; scgi_temp_path %s/scgi;\n  keepalive_requests 10000000;\n' "$dir" "$dir"
    cat
    printf '}\n'
  } > "$dir/nginx.conf"
}
start_gateway() {  # NAME PORT CONTENTROOT LOG [--bare-proxy]; sets GW_PID (run.sh's start_gateway)
  local name=$1 port=$2 root=$3 logfile=$4; shift 4
  # shellcheck disable=SC2086  # GATEWAY_ENV is a list of VAR=value words
  # Fresh headers come from one address: the per-address verification budget is switched off (run.sh).
  env SessionGate__ClientBlocking__VerificationsPerMinute=0 ${GATEWAY_ENV:-} dotnet "$SESSIONGATE" serve "$@" --contentRoot "$root" --urls "http://127.0.0.1:$port" > "$logfile" 2>&1 &
  GW_PID=$!; pids+=("$GW_PID")
  wait_http "http://127.0.0.1:$port/healthz" "$GW_PID" "$name" "$logfile"
}
run_wrk() {  # URL HEADERS SECONDS LOGFILE (cycle mode: reused headers, cached verdicts)
  LOAD_HEADERS="$2" LOAD_MODE=cycle LOAD_THREADS="$THREADS" LOAD_RATE="$RATE" \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${3}s" --timeout 5s -s "$TREE/bench/load/requests.lua" "$1" > "$4" 2>&1 &
  local w=$!; pids+=("$w")
  wait "$w" || { stop "$w"; echo "profile.sh: wrk failed:" >&2; cat "$4" >&2; exit 1; }
  stop "$w"
  grep '^RESULT' "$4" | tail -n 1
}
kv() {  # kv "RESULT a=1 b=2" b -> 2 ("rps": requests / duration)
  if [ "$2" = rps ]; then awk -v n="$(kv "$1" requests)" -v d="$(kv "$1" duration_us)" 'BEGIN { printf "%d", n / (d / 1e6) }'
  else tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; fi
}

# --- the upstream, Redis (shared by the scenarios of this invocation) ------------------------------
free_port; UP_PORT=$PORT
mkdir -p "$work/up"
nginx_conf "$work/up" <<EOF
  server {
    listen 127.0.0.1:$UP_PORT;
    location / { default_type text/plain; return 200 "ok\n"; }
  }
EOF
"$NGINX" -p "$work/up" -c "$work/up/nginx.conf" -g 'daemon off;' > "$work/upstream.log" 2>&1 &
UP_PID=$!; pids+=("$UP_PID")
wait_http "http://127.0.0.1:$UP_PORT/api/ping" "$UP_PID" upstream "$work/upstream.log"
REDIS_PID=""
start_redis() {
  [ -n "$REDIS_PID" ] && return
  free_port; REDIS_PORT=$PORT
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no > "$work/redis.log" 2>&1 &
  REDIS_PID=$!; pids+=("$REDIS_PID")
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "profile.sh: redis-server did not start" >&2; cat "$work/redis.log" >&2; exit 1
}

profile() {  # SCENARIO
  local s=$1 dir="$OUT/$1" redis=none flags=() port url
  mkdir -p "$dir"; rm -f "$dir"/*
  if [ "$s" = C ] || [ "$s" = B ]; then start_redis; redis="127.0.0.1:$REDIS_PORT"; fi  # B: C's settings file, as run.sh
  mkdir -p "$work/$s"
  dotnet "$LOADTOOL" config --accounts "$ACCOUNTS" --upstream "http://127.0.0.1:$UP_PORT/" --redis "$redis" --out "$work/$s/appsettings.json"
  # The headers are signed over the block of a SessionGate gateway on these settings; B (bare YARP)
  # receives the same headers as C, as in run.sh (it forwards them and ignores them).
  free_port; port=$PORT
  start_gateway "sessiongate-$s" "$port" "$work/$s" "$dir/gateway.log"
  wait_http "http://127.0.0.1:$port/_sessiongate/block" "$GW_PID" sessiongate "$dir/gateway.log"
  dotnet "$LOADTOOL" headers --gateway "http://127.0.0.1:$port/" --accounts "$ACCOUNTS" --count "$ACCOUNTS" --out "$work/$s/headers.txt" >&2
  if [ "$s" = B ]; then
    stop "$GW_PID"
    free_port; port=$PORT
    start_gateway bare-yarp "$port" "$work/$s" "$dir/gateway.log" --bare-proxy
  fi
  local pid=$GW_PID
  url="http://127.0.0.1:$port/api/ping"
  local want=200 got
  got=$(curl -s -o /dev/null -w '%{http_code}' -H "kira_session: $(head -n 1 "$work/$s/headers.txt")" "$url" || true)
  [ "$got" = "$want" ] || { echo "profile.sh: $s answered $got to a signed request, expected 200" >&2; exit 1; }
  if [ "$s" != B ]; then
    got=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
    [ "$got" = 401 ] || { echo "profile.sh: $s answered $got without a header, expected 401 (SessionGate on)" >&2; exit 1; }
  fi

  log "$s: warm-up ${WARMUP}s ($( [ "$RATE" = 0 ] && echo saturation || echo "paced at $RATE req/s"), $CONNECTIONS connections)"
  run_wrk "$url" "$work/$s/headers.txt" "$WARMUP" "$dir/wrk-warmup.log" >/dev/null

  # Phase 1: counters. dotnet-counters attaches first (and is given time to), the wrk run is inside its window.
  log "$s: phase 1, ${DURATION}s under dotnet-counters"
  dotnet-counters collect -p "$pid" --refresh-interval 1 --format csv -o "$dir/counters.csv" \
    --counters 'System.Runtime,EventCounters\Microsoft.AspNetCore.Hosting' \
    --duration "00:00:00:$(( DURATION + 4 ))" > "$dir/dotnet-counters.log" 2>&1 &
  local counters_pid=$!; pids+=("$counters_pid")
  sleep 2
  local t0 t1 start end r1 r0 redis0=0 redis1=0
  [ -n "$REDIS_PID" ] && redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
  t0=$(cpu_ticks "$pid"); [ -n "$REDIS_PID" ] && redis0=$(cpu_ticks "$REDIS_PID"); start=$(date +%s.%N)
  r1=$(run_wrk "$url" "$work/$s/headers.txt" "$DURATION" "$dir/wrk.log")
  t1=$(cpu_ticks "$pid"); [ -n "$REDIS_PID" ] && redis1=$(cpu_ticks "$REDIS_PID"); end=$(date +%s.%N)
  wait "$counters_pid" 2>/dev/null || true; stop "$counters_pid"
  [ -n "$REDIS_PID" ] && redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' > "$dir/redis-commandstats.txt"
  local requests rps bad
  requests=$(kv "$r1" requests); rps=$(kv "$r1" rps)
  bad=$(( requests - $(kv "$r1" s2xx) ))
  {
    echo "scenario=$s"
    echo "tree=$TREE"
    echo "commit=$(git -C "$TREE" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$TREE" diff --quiet HEAD 2>/dev/null || echo '+dirty')"
    echo "cpu_model='$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') (family $(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //'), model $(grep -m1 '^model' /proc/cpuinfo | sed 's/.*: //')) x $CORES cores'"
    echo "rate=$RATE"; echo "connections=$CONNECTIONS"; echo "duration=$DURATION"; echo "warmup=$WARMUP"
    echo "gateway_env='${GATEWAY_ENV:-}'"
    echo "requests=$requests"; echo "rps=$rps"; echo "bad=$bad"
    echo "p50_us=$(kv "$r1" p50_us)"; echo "p99_us=$(kv "$r1" p99_us)"
    echo "proc_cpu_us_per_req=$(awk -v a="$t0" -v b="$t1" -v n="$requests" -v t="$TICKS" 'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }')"
    echo "redis_cpu_us_per_req=$(awk -v a="$redis0" -v b="$redis1" -v n="$requests" -v t="$TICKS" 'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }')"
    echo "gateway_cores=$(awk -v a="$t0" -v b="$t1" -v s="$start" -v e="$end" -v t="$TICKS" 'BEGIN { printf "%.2f", (b - a) / t / (e - s) }')"
    echo "gateway_threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")"
    echo "gateway_rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"   # resident set at the end of phase 1
    echo "gateway_peak_rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")"  # its high-water mark since start
    echo "machine_load='$(cut -d' ' -f1-3 /proc/loadavg)'"
  } > "$dir/summary.env"
  python3 "$here/stages.py" counters "$dir/counters.csv" >> "$dir/summary.env"
  [ "$bad" -le $(( requests / 1000 )) ] || echo "profile.sh: WARNING: $s: $bad of $requests requests were not 2xx" >&2

  # Phase 2: the trace, under the same load (wrk runs 2 s longer on both sides of the trace window).
  if [ "$TRACE" = 1 ]; then
    log "$s: phase 2, dotnet-trace (sample profiler) for ${TRACE_SECONDS}s under the same load"
    LOAD_HEADERS="$work/$s/headers.txt" LOAD_MODE=cycle LOAD_THREADS="$THREADS" LOAD_RATE="$RATE" \
      wrk -t "$THREADS" -c "$CONNECTIONS" -d "$(( TRACE_SECONDS + 4 ))s" --timeout 5s -s "$TREE/bench/load/requests.lua" "$url" > "$dir/wrk-trace.log" 2>&1 &
    local w=$!; pids+=("$w")
    sleep 1
    dotnet-trace collect -p "$pid" -o "$dir/trace.nettrace" --format Speedscope \
      --providers 'Microsoft-DotNETCore-SampleProfiler,Microsoft-Windows-DotNETRuntime:0x14C14FCCBD:4' \
      --duration "00:00:00:$(printf '%02d' "$TRACE_SECONDS")" > "$dir/dotnet-trace.log" 2>&1 < /dev/null || {
      echo "profile.sh: dotnet-trace failed:" >&2; cat "$dir/dotnet-trace.log" >&2; exit 1; }
    wait "$w" || true; stop "$w"
    local rt; rt=$(grep '^RESULT' "$dir/wrk-trace.log" | tail -n 1)
    echo "trace_rps=$(kv "$rt" rps)" >> "$dir/summary.env"
    echo "trace_requests_in_window=$(awk -v r="$(kv "$rt" rps)" -v s="$TRACE_SECONDS" 'BEGIN { printf "%d", r * s }')" >> "$dir/summary.env"
    dotnet-trace report "$dir/trace.nettrace" topN -n 25 --inclusive > "$dir/topN-inclusive.txt" 2>&1 || true
    dotnet-trace report "$dir/trace.nettrace" topN -n 25 > "$dir/topN-exclusive.txt" 2>&1 || true
    python3 "$here/stages.py" stages "$dir/trace.speedscope.json" "$dir/summary.env" > "$dir/stages.md"
    rm -f "$dir/trace.nettrace.etlx"
  else
    python3 "$here/stages.py" stages - "$dir/summary.env" > "$dir/stages.md"
  fi
  stop "$pid"
  cat "$dir/stages.md"
}

for s in "$@"; do profile "$s"; done
