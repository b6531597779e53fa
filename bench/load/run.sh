#!/usr/bin/env bash
# Load benchmark (issue 7): wrk against five targets, in one run on one machine, all in front of the
# same small upstream (nginx answering "return 200" on its own port):
#   A  the upstream directly
#   B  bare YARP: `sessiongate serve --bare-proxy`, the same binary and proxy configuration, SessionGate off
#   C  SessionGate, reused valid headers (cached verdicts), ACCOUNTS accounts, Redis limiter
#   D  SessionGate, a fresh header on every request (every request pays an sr25519 verify)
#   E0 nginx as a reverse proxy, the same configuration as E without limit_req (nginx's bare proxy hop)
#   E  nginx as a reverse proxy with limit_req keyed by the kira_session header
# then B and C again at half of B's saturation rate (paced), for the p99 SessionGate adds, and
#   C0 C with in-memory stores instead of Redis, to show where C's extra cost over B goes (DIAGNOSE=0: skipped)
#   C3 three `sessiongate serve` instances on the one Redis, a wrk process each, C3_ACCOUNTS accounts on a
#      tier low enough to refuse: admitted (2xx) against the limit, and Redis commands per request.
# The summary sets SessionGate's added gateway CPU per request (C − B) against nginx's cost of limiting
# (E − E0), and (ALLOC=1) reports the bytes the gateway allocated per request in B, C0 and C.
# Prints a Markdown table and writes it to $OUT/results.md; wrk and server logs stay in $OUT.
# Exits 1 when a run saw more than MAX_BAD_FRACTION non-2xx answers or socket errors, when D ran out
# of fresh headers (it would have measured cached verdicts), when the limiter did not decide every C/D
# request in Redis, or when a gateway does not behave as its run assumes (checked before measuring).
#
# usage: bench/load/run.sh            (as root, or with wrk, nginx and redis-server installed)
# env:   DURATION=20s  WARMUP=5s  CONNECTIONS=64  THREADS=2  ACCOUNTS=1000
#        PACED_DURATION=10s  D_DURATION=10s  D_WARMUP=2s  VERIFY_RATE=16000  MAX_BAD_FRACTION=0.001
#        DIAGNOSE=1 (also C0: C with in-memory stores, to split C's cost)  OUT=artifacts/load
#        SCENARIOS="A B C D C0 E0 E C3" (the runs to make, any subset in any order of writing; they run in
#          this order; the paced runs come with B and C, and C's paced run needs B for its rate)
#        GATEWAY_ENV="VAR=value ..." extra environment of every gateway process (B, C, D, C0, C3), e.g.
#          GATEWAY_ENV="DOTNET_gcServer=1" to compare GC settings (docs/operations.md)
#        ALLOC=1 (dotnet-counters on the gateway during B, C0 and C: bytes allocated and GCs per request;
#          0: not attached; needs dotnet-counters, installed with `dotnet tool install` if missing)
#        C3_ACCOUNTS=10  C3_RATE=200 (permits/s per account)  C3_BURST=200  C3_DURATION=$DURATION
#          C3_WARMUP=10s (the warm-up uses other accounts, so the measured ones start with full buckets)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

seconds() {  # "20s", "2m" or "20" -> 20
  local v=$1
  case "$v" in
    *m) echo $(( ${v%m} * 60 )) ;;
    *s) echo "${v%s}" ;;
    *) echo "$v" ;;
  esac
}
DURATION=$(seconds "${DURATION:-20s}")
WARMUP=$(seconds "${WARMUP:-5s}")
PACED_DURATION=$(seconds "${PACED_DURATION:-10s}")
D_DURATION=$(seconds "${D_DURATION:-10s}")
D_WARMUP=$(seconds "${D_WARMUP:-2s}")
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ACCOUNTS=${ACCOUNTS:-1000}
VERIFY_RATE=${VERIFY_RATE:-16000}  # sr25519 verifies/s of the batched gateway (sizes D's fresh headers), docs/BENCHMARKS.md
MAX_BAD_FRACTION=${MAX_BAD_FRACTION:-0.001}
DIAGNOSE=${DIAGNOSE:-1}  # 1: also run C0, SessionGate with in-memory stores (where C's cost goes)
SCENARIOS=${SCENARIOS:-A B C D $(if [ "$DIAGNOSE" = 1 ]; then echo C0; fi) E0 E C3}
GATEWAY_ENV=${GATEWAY_ENV:-}
ALLOC=${ALLOC:-1}
C3_ACCOUNTS=${C3_ACCOUNTS:-10}
C3_RATE=${C3_RATE:-200}
C3_BURST=${C3_BURST:-200}
C3_DURATION=$(seconds "${C3_DURATION:-${DURATION}s}")
C3_WARMUP=$(seconds "${C3_WARMUP:-10s}")
OUT=${OUT:-artifacts/load}
CORES=$(nproc)
for sc in $SCENARIOS; do
  case "$sc" in A|B|C|D|C0|E0|E|C3) ;; *) echo "run.sh: unknown scenario '$sc' in SCENARIOS (A B C D C0 E0 E C3)" >&2; exit 2 ;; esac
done
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
for v in $GATEWAY_ENV; do
  [[ $v =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || { echo "run.sh: GATEWAY_ENV must be VAR=value words, not '$v'" >&2; exit 2; }
done
for n in DURATION WARMUP PACED_DURATION D_DURATION D_WARMUP CONNECTIONS THREADS ACCOUNTS VERIFY_RATE C3_ACCOUNTS C3_RATE C3_BURST C3_DURATION C3_WARMUP; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "run.sh: $n must be a positive integer (seconds may end in s or m), not '${!n}'" >&2; exit 2; }
done

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${missing[*]} (apt-get)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "run.sh: please install ${missing[*]} first (e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ "$ALLOC" = 1 ]; then
  export PATH="$PATH:$HOME/.dotnet/tools"
  if ! command -v dotnet-counters >/dev/null 2>&1; then
    echo "== installing dotnet-counters (dotnet tool install -g) for ALLOC=1" >&2
    dotnet tool install -g dotnet-counters >&2 || { echo "run.sh: dotnet-counters is missing; install it or set ALLOC=0" >&2; exit 1; }
  fi
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/*.log "$OUT"/*.txt "$OUT"/results.md
log() { echo "== $*" >&2; }
fmt() { printf '%d' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }  # 12345 -> 12,345

log "building sessiongate and the load tool (Release)"
dotnet build src/SessionGate.Proxy -c Release -nologo -v q > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
dotnet build bench/SessionGate.LoadTool -c Release -nologo -v q >> "$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
SESSIONGATE=$root/src/SessionGate.Proxy/bin/Release/net10.0/sessiongate.dll
LOADTOOL=$root/bench/SessionGate.LoadTool/bin/Release/net10.0/SessionGate.LoadTool.dll

# --- processes: every one is recorded and stopped on exit, Ctrl+C included ----------------------
work=$(mktemp -d /tmp/sessiongate-load.XXXXXX)
pids=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

forget() {  # forget PID: it has exited
  local p kept=()
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}
stop() {  # stop one process we started and forget it
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget "$pid"
}
children_cpu() {  # sets CHILDREN_CPU: user + system seconds of this shell's reaped children so far
  # "times" must run in this shell (not in a pipeline or $(...), whose subshells have no such children).
  times > "$work/times"
  CHILDREN_CPU=$(awk 'NR == 2 { n = split($0, f, " "); t = 0; for (i = 1; i <= n; i++) { split(f[i], ms, /[ms]/); t += ms[1] * 60 + ms[2] } print t }' "$work/times")
}

used_ports=" "
free_port() {  # a loopback port nothing listens on (and not handed out before); sets PORT
  local port
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 12000 ))  # below ip_local_port_range (32768+): an outgoing connection can hold any port above it
    [[ $used_ports == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then used_ports+="$port "; PORT=$port; return; fi
  done
  echo "run.sh: no free port found" >&2; exit 1
}

wait_http() {  # wait_http URL PID NAME LOG: until URL answers 200, failing if the process dies
  local url=$1 pid=$2 name=$3 logfile=$4
  for _ in $(seq 600); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "run.sh: $name exited during start-up:" >&2; tail -n 40 "$logfile" >&2; exit 1; fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ]; then return; fi
    sleep 0.1
  done
  echo "run.sh: $name did not answer 200 at $url within 60 s:" >&2; tail -n 40 "$logfile" >&2; exit 1
}

cpu_ticks() {  # user+system clock ticks of the given processes and their children (threads included)
  local total=0 pid f
  for pid in "$@"; do
    for f in "/proc/$pid/stat" $(for c in $(cat "/proc/$pid/task/"*/children 2>/dev/null); do echo "/proc/$c/stat"; done); do
      [ -r "$f" ] || continue
      total=$(( total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$f") ))
    done
  done
  echo "$total"
}
machine_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
TICKS=$(getconf CLK_TCK)

# --- the upstream, Redis ------------------------------------------------------------------------
free_port; UP_PORT=$PORT
mkdir -p "$work/up"
# nginx_conf DIR < HTTP_BLOCK_BODY: an nginx.conf in DIR (pid, logs, temp files there), one worker per
# core, no access log, long keep-alive; the http block's own directives come from stdin.
nginx_conf() {
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

nginx_conf "$work/up" <<EOF
  server {
    listen 127.0.0.1:$UP_PORT;
    location / { default_type text/plain; return 200 "ok\n"; }
  }
EOF
log "upstream: nginx 'return 200' on 127.0.0.1:$UP_PORT"
"$NGINX" -p "$work/up" -c "$work/up/nginx.conf" -g 'daemon off;' > "$OUT/upstream.log" 2>&1 &
UP_PID=$!; pids+=("$UP_PID")
wait_http "http://127.0.0.1:$UP_PORT/api/ping" "$UP_PID" upstream "$OUT/upstream.log"

free_port; REDIS_PORT=$PORT
log "redis-server on 127.0.0.1:$REDIS_PORT (no persistence)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no > "$OUT/redis.log" 2>&1 &
REDIS_PID=$!; pids+=("$REDIS_PID")
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || { echo "run.sh: redis-server did not start:" >&2; cat "$OUT/redis.log" >&2; exit 1; }

# One settings file for B, C and D: bare YARP differs only by --bare-proxy.
mkdir -p "$work/gateway"
log "gateway settings: $ACCOUNTS accounts with registered keys, Redis, one generous tier"
dotnet "$LOADTOOL" config --accounts "$ACCOUNTS" --upstream "http://127.0.0.1:$UP_PORT/" \
  --redis "127.0.0.1:$REDIS_PORT" --out "$work/gateway/appsettings.json"

# Every load stage sends many fresh headers from one address (127.0.0.1): the per-address
# verification budget (SessionGate:ClientBlocking:VerificationsPerMinute, docs/configuration.md)
# would refuse them as an attack, so the benchmark switches it off.
NO_BUDGET=SessionGate__ClientBlocking__VerificationsPerMinute=0

start_gateway() {  # start_gateway NAME PORT [--bare-proxy]; sets GW_PID
  local name=$1 port=$2; shift 2
  # shellcheck disable=SC2086  # GATEWAY_ENV is a list of VAR=value words
  env "$NO_BUDGET" $GATEWAY_ENV ${EXTRA_ENV:-} dotnet "$SESSIONGATE" serve "$@" --contentRoot "$work/gateway" --urls "http://127.0.0.1:$port" > "$OUT/$name.log" 2>&1 &
  GW_PID=$!; pids+=("$GW_PID")
  wait_http "http://127.0.0.1:$port/healthz" "$GW_PID" "$name" "$OUT/$name.log"
}

# --- one wrk run ---------------------------------------------------------------------------------
# run_wrk NAME URL HEADERS MODE SECONDS RATE PROXY_PID  (RATE 0: as fast as possible; PROXY_PID "-" for A)
# Sets R_* variables and appends the raw result to $OUT/runs.txt.
results=()
run_wrk() {
  local name=$1 url=$2 headers=$3 mode=$4 secs=$5 rate=$6 proxy=$7
  [ "$proxy" = - ] && proxy=""
  local p0 u0 r0 all0 p1 u1 r1 all1 start end wrk_cpu line kv
  p0=$(cpu_ticks $proxy); u0=$(cpu_ticks "$UP_PID"); r0=$(cpu_ticks "$REDIS_PID"); all0=$(machine_busy_ticks); start=$(date +%s.%N)
  # wrk runs in the background and the shell waits for it: a foreground wrk catches Ctrl+C itself and
  # exits normally, and bash would then carry on with the next run instead of running the INT trap.
  # Its CPU time comes from the shell's "times" (children reaped between the two calls: wrk alone).
  local children0 children1 wrk_pid
  children_cpu; children0=$CHILDREN_CPU
  LOAD_HEADERS="$headers" LOAD_MODE="$mode" LOAD_THREADS="$THREADS" LOAD_RATE="$rate" \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${secs}s" --timeout 5s -s bench/load/requests.lua "$url" \
    > "$OUT/wrk-$name.log" 2>&1 &
  wrk_pid=$!; pids+=("$wrk_pid")
  wait "$wrk_pid" || { echo "run.sh: wrk failed for $name:" >&2; cat "$OUT/wrk-$name.log" >&2; exit 1; }
  children_cpu; children1=$CHILDREN_CPU
  forget "$wrk_pid"
  end=$(date +%s.%N); p1=$(cpu_ticks $proxy); u1=$(cpu_ticks "$UP_PID"); r1=$(cpu_ticks "$REDIS_PID"); all1=$(machine_busy_ticks)
  line=$(grep '^RESULT ' "$OUT/wrk-$name.log" || true)
  [ -n "$line" ] || { echo "run.sh: wrk printed no result for $name:" >&2; cat "$OUT/wrk-$name.log" >&2; exit 1; }
  for kv in ${line#RESULT }; do eval "R_${kv%%=*}=${kv#*=}"; done
  [ "$R_requests" -gt 0 ] || { echo "run.sh: $name completed no request:" >&2; cat "$OUT/wrk-$name.log" >&2; exit 1; }
  wrk_cpu=$(awk -v a="$children0" -v b="$children1" 'BEGIN { print b - a }')
  R_rps=$(awk -v n="$R_requests" -v d="$R_duration_us" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
  R_bad=$(( R_requests - R_s2xx + R_err_connect + R_err_read + R_err_write + R_err_timeout ))
  # CPU per request (µs) of each process, from /proc (clock ticks) and bash's time (wrk).
  local per='BEGIN { printf "%.0f", t / hz * 1e6 / n }'
  R_proxy_us=$(awk -v t=$(( p1 - p0 )) -v hz="$TICKS" -v n="$R_requests" "$per")
  R_up_us=$(awk -v t=$(( u1 - u0 )) -v hz="$TICKS" -v n="$R_requests" "$per")
  R_redis_us=$(awk -v t=$(( r1 - r0 )) -v hz="$TICKS" -v n="$R_requests" "$per")
  R_wrk_us=$(awk -v t="$wrk_cpu" -v n="$R_requests" 'BEGIN { printf "%.0f", t * 1e6 / n }')
  # Everything else on the machine meanwhile, in cores (other tenants; about 0 on a quiet machine).
  R_other_cores=$(awk -v all=$(( all1 - all0 )) -v ours=$(( p1 - p0 + u1 - u0 + r1 - r0 )) -v w="$wrk_cpu" -v hz="$TICKS" -v s="$start" -v e="$end" \
    'BEGIN { o = ((all - ours) / hz - w) / (e - s); if (o < 0) o = 0; printf "%.2f", o }')
  R_proxy_cores=$(awk -v t=$(( p1 - p0 )) -v hz="$TICKS" -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", t / hz / (e - s) }')
  echo "$name $line proxy_us=$R_proxy_us upstream_us=$R_up_us redis_us=$R_redis_us wrk_us=$R_wrk_us proxy_cores=$R_proxy_cores other_cores=$R_other_cores" >> "$OUT/runs.txt"
  log "$name: $R_rps req/s, p50 ${R_p50_us} us, p99 ${R_p99_us} us, 2xx $R_s2xx of $R_requests; CPU us/request: proxy $R_proxy_us, upstream $R_up_us, redis $R_redis_us, wrk $R_wrk_us; other load $R_other_cores cores"
}

bad_runs=()
record() {  # record LABEL: one table row from the last run_wrk, and the checks
  local label=$1
  results+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$label" \
    "$(fmt "$R_rps")" \
    "$(awk -v v="$R_p50_us" 'BEGIN { printf "%.2f", v / 1000 }')" \
    "$(awk -v v="$R_p99_us" 'BEGIN { printf "%.2f", v / 1000 }')" \
    "$R_s2xx / $R_requests" "$R_bad" "$R_proxy_us" "$R_up_us" "$R_redis_us" "$R_wrk_us" "$R_other_cores")")
  if awk -v b="$R_bad" -v n="$R_requests" -v f="$MAX_BAD_FRACTION" 'BEGIN { exit !(b > n * f) }'; then
    bad_runs+=("$label: $R_bad of $R_requests requests not 2xx or failed (401: $R_s401, 403: $R_s403, 429: $R_s429, other 4xx: $R_s4xx, 5xx: $R_s5xx, socket errors: $((R_err_connect + R_err_read + R_err_write + R_err_timeout)))")
  fi
  if [ "${R_reused:-0}" -gt 0 ]; then
    bad_runs+=("$label: ran out of fresh headers ($R_reused requests reused one; raise VERIFY_RATE)")
  fi
}

# Commands SENT to Redis are counted by the gateways' own client: sessiongate_redis_operations_total
# (StackExchange.Redis's OperationCount: one per command on the wire, an EVALSHA once however many
# commands it runs; plus the client's heartbeats and discovery) from each gateway's /metrics, summed.
# INFO commandstats cannot tell them apart: it also counts every command a script runs inside Redis
# (the limiter's GET/SET, the usage flushes' HINCRBY/EXPIRE), so its total is "executed", not "sent".
redis_ops() {  # redis_ops PORT...: the gateways' sessiongate_redis_operations_total summed, or empty when one has none
  local port v sum=0
  for port in "$@"; do
    v=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^sessiongate_redis_operations_total[ {]/ { s += $NF; n++ } END { if (n) printf "%.0f", s }' || true)
    [ -n "$v" ] || return 0
    sum=$(( sum + v ))
  done
  echo "$sum"
}
redis_per_request() {  # FILE REQUESTS [OPS_BEFORE OPS_AFTER] -> "sent per request (client count); EVALSHA/EVAL; total executed (each command)"; our own INFO/CONFIG excluded
  local sent="? sent (the gateway's /metrics had no sessiongate_redis_operations_total)"
  if [ -n "${3:-}" ] && [ -n "${4:-}" ]; then
    sent=$(awk -v a="$3" -v b="$4" -v n="$2" 'BEGIN { printf "%.4f sent by the gateways (counted by their Redis client)", (b - a) / n }')
  fi
  awk -F'[:,=]' -v n="$2" -v sent="$sent" '/^cmdstat_/ { c = substr($1, 9); k = $3; if (c == "info" || c ~ /^config/) next;
      t += k; if (c == "evalsha" || c == "eval") e += k; if (k / n >= 0.0005) s = s sprintf("%s%s %.3f", s == "" ? "" : ", ", toupper(c), k / n) }
    END { printf "%s; %.3f EVALSHA/EVAL (concurrent decisions share one); %.3f executed in Redis in all, commands inside scripts included (%s)", sent, e / n, t / n, s }' "$1"
}
# Every decision runs the script's one GET of its bucket inside Redis, whether it was sent alone or in a
# batch of concurrent decisions (one EVALSHA each batch): GETs per request show the share decided in Redis.
# With leased permits on (the default; off with SessionGate__RateLimiting__Leases__Enabled=false in
# GATEWAY_ENV) most decisions spend a block leased from Redis, by design: then the check is only that the
# limiter never fell back (no 'cannot use Redis' in the gateway's log, checked after the runs for every case).
check_redis_limiter() {  # LABEL FILE REQUESTS: every request must have been decided in Redis (or from a leased block)
  local per
  if ! [[ " $GATEWAY_ENV " =~ [[:space:]]SessionGate__RateLimiting__Leases__Enabled=[Ff]alse[[:space:]] ]]; then
    return 0
  fi
  per=$(awk -F'[:,=]' -v n="$3" '/^cmdstat_get:/ { e += $3 } END { printf "%.3f", e / n }' "$2")
  if awk -v p="$per" 'BEGIN { exit !(p < 0.99) }'; then
    bad_runs+=("$1: only $per decisions in Redis per request: the limiter decided locally part of the time (see 'cannot use Redis' in $OUT/sessiongate.log)")
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }

# --- allocation per request (ALLOC=1): dotnet-counters on the gateway for the measured window ---------
# alloc_watch PID NAME SECONDS: attaches dotnet-counters (System.Runtime meter: bytes allocated, GCs, GC
# pause; the ASP.NET Core hosting counters: requests per second) for SECONDS + 4 s; it is given 2 s to
# attach before the run starts, and alloc_read sums the seconds in which the gateway served load.
# What it costs: one EventPipe session sampling the runtime's counters once a second inside the gateway
# (its CPU is counted in the gateway's, like everything the gateway does) and a dotnet-counters process
# outside (counted under "other load").
ALLOC_PID=""
alloc_watch() {
  [ "$ALLOC" = 1 ] || return 0
  local pid=$1 name=$2 secs=$3
  dotnet-counters collect -p "$pid" --refresh-interval 1 --format csv -o "$OUT/counters-$name.csv" \
    --counters 'System.Runtime,EventCounters\Microsoft.AspNetCore.Hosting' \
    --duration "00:00:00:$(( secs + 4 ))" > "$OUT/counters-$name.log" 2>&1 &
  ALLOC_PID=$!; pids+=("$ALLOC_PID")
  sleep 2
}
alloc_read() {  # alloc_read NAME: sets A_bytes (allocated bytes/request), A_gen0, A_gen1, A_gen2 (GCs per 1,000 requests), A_pause_us (GC pause µs/request)
  A_bytes=-; A_gen0=-; A_gen1=-; A_gen2=-; A_pause_us=-
  [ "$ALLOC" = 1 ] || return 0
  wait "$ALLOC_PID" 2>/dev/null || true; forget "$ALLOC_PID"
  local kv
  kv=$(python3 bench/load/stages.py counters "$OUT/counters-$1.csv" 2>/dev/null || true)
  A_bytes=$(sed -n 's/^alloc_bytes_per_req=//p' <<< "$kv"); A_bytes=${A_bytes:--}
  A_gen0=$(sed -n 's/^gen0_per_1k_req=//p' <<< "$kv"); A_gen0=${A_gen0:--}
  A_gen1=$(sed -n 's/^gen1_per_1k_req=//p' <<< "$kv"); A_gen1=${A_gen1:--}
  A_gen2=$(sed -n 's/^gen2_per_1k_req=//p' <<< "$kv"); A_gen2=${A_gen2:--}
  A_pause_us=$(sed -n 's/^gc_pause_us_per_req=//p' <<< "$kv"); A_pause_us=${A_pause_us:--}
  echo "$1 $kv" | tr '\n' ' ' >> "$OUT/alloc.txt"; echo >> "$OUT/alloc.txt"
  log "$1: $A_bytes bytes allocated per request; GCs per 1,000 requests gen0 $A_gen0, gen1 $A_gen1, gen2 $A_gen2; GC pause $A_pause_us µs/request"
}
alloc_rows=()
alloc_record() {  # alloc_record LABEL: a row of the allocation table from the last alloc_read
  [ "$ALLOC" = 1 ] || return 0
  alloc_rows+=("| $1 | $A_bytes | $A_gen0 / $A_gen1 / $A_gen2 | $A_pause_us | $(fmt "$R_rps") |")
}

# --- A: the upstream directly --------------------------------------------------------------------
# Every target gets the same requests: a valid kira_session header (C's reused set) on GET /api/ping.
free_port; SG_PORT=$PORT; free_port; BARE_PORT=$PORT; free_port; E_PORT=$PORT
log "SessionGate gateway (for C and D) on 127.0.0.1:$SG_PORT: its block is needed to sign headers"
start_gateway sessiongate "$SG_PORT"
SG_PID=$GW_PID
wait_http "http://127.0.0.1:$SG_PORT/_sessiongate/block" "$SG_PID" sessiongate "$OUT/sessiongate.log"
dotnet "$LOADTOOL" headers --gateway "http://127.0.0.1:$SG_PORT/" --accounts "$ACCOUNTS" --count "$ACCOUNTS" --out "$work/reused.txt" >&2
expect_status() {  # expect_status WANT URL [HEADER]: one request, to show a target behaves as its run assumes
  local want=$1 url=$2 got
  if [ $# -ge 3 ]; then got=$(curl -s -o /dev/null -w '%{http_code}' -H "kira_session: $3" "$url" || true)
  else got=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true); fi
  [ "$got" = "$want" ] || { echo "run.sh: $url answered $got, expected $want${3:+ (with a signed header)}" >&2; exit 1; }
}
# SessionGate really enforces (no header: 401 on the session-required route) and accepts the headers.
expect_status 401 "http://127.0.0.1:$SG_PORT/api/ping"
expect_status 200 "http://127.0.0.1:$SG_PORT/api/ping" "$(head -n 1 "$work/reused.txt")"
# The SessionGate gateway idles (timers only) while A and B run; it is started first because the
# headers every target receives are signed over its chain's current block.

if want A; then
  log "A: upstream directly (warm-up ${WARMUP}s, then ${DURATION}s)"
  run_wrk A-warmup "http://127.0.0.1:$UP_PORT/api/ping" "$work/reused.txt" cycle "$WARMUP" 0 -
  run_wrk A "http://127.0.0.1:$UP_PORT/api/ping" "$work/reused.txt" cycle "$DURATION" 0 -
  record "A upstream directly"
  A_RPS=$R_rps
fi

# --- B: bare YARP, saturation and paced ---------------------------------------------------------
if want B; then
  log "B: bare YARP (sessiongate serve --bare-proxy) on 127.0.0.1:$BARE_PORT"
  start_gateway bare-yarp "$BARE_PORT" --bare-proxy
  BARE_PID=$GW_PID
  expect_status 200 "http://127.0.0.1:$BARE_PORT/api/ping"   # no header needed: SessionGate is off
  run_wrk B-warmup "http://127.0.0.1:$BARE_PORT/api/ping" "$work/reused.txt" cycle "$WARMUP" 0 "$BARE_PID"
  alloc_watch "$BARE_PID" B "$DURATION"
  run_wrk B "http://127.0.0.1:$BARE_PORT/api/ping" "$work/reused.txt" cycle "$DURATION" 0 "$BARE_PID"
  alloc_read B
  record "B bare YARP"; alloc_record "B bare YARP"
  B_RPS=$R_rps; B_PROXY_US=$R_proxy_us; B_TOTAL_US=$(( R_proxy_us + R_up_us + R_redis_us + R_wrk_us )); B_P99=$R_p99_us; B_BYTES=$A_bytes
  PACE_RATE=$(( B_RPS / 2 ))
  log "paced runs: $PACE_RATE req/s (half of B's $B_RPS) on $CONNECTIONS connections"
  run_wrk B-paced "http://127.0.0.1:$BARE_PORT/api/ping" "$work/reused.txt" cycle "$PACED_DURATION" "$PACE_RATE" "$BARE_PID"
  record "B bare YARP, paced"
  B_PACED_P99=$R_p99_us; B_PACED_P50=$R_p50_us; B_PACED_RPS=$R_rps
  stop "$BARE_PID"
fi

# --- C: SessionGate, reused headers (cached verdicts), Redis limiter ------------------------------
if want C; then
  log "C: SessionGate, $ACCOUNTS accounts, reused headers, Redis limiter"
  run_wrk C-warmup "http://127.0.0.1:$SG_PORT/api/ping" "$work/reused.txt" cycle "$WARMUP" 0 "$SG_PID"
  alloc_watch "$SG_PID" C "$DURATION"
  redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
  C_OPS0=$(redis_ops "$SG_PORT")
  run_wrk C "http://127.0.0.1:$SG_PORT/api/ping" "$work/reused.txt" cycle "$DURATION" 0 "$SG_PID"
  C_OPS1=$(redis_ops "$SG_PORT")
  redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' > "$OUT/redis-commandstats-C.txt"
  alloc_read C
  record "C SessionGate, cached verdicts"; alloc_record "C SessionGate, cached verdicts"
  C_RPS=$R_rps; C_REQUESTS=$R_requests; C_PROXY_US=$R_proxy_us; C_TOTAL_US=$(( R_proxy_us + R_up_us + R_redis_us + R_wrk_us )); C_BYTES=$A_bytes
  C_REDIS=$(redis_per_request "$OUT/redis-commandstats-C.txt" "$C_REQUESTS" "$C_OPS0" "$C_OPS1")
  check_redis_limiter "C SessionGate, cached verdicts" "$OUT/redis-commandstats-C.txt" "$C_REQUESTS"
  if [ -n "${PACE_RATE:-}" ]; then
    run_wrk C-paced "http://127.0.0.1:$SG_PORT/api/ping" "$work/reused.txt" cycle "$PACED_DURATION" "$PACE_RATE" "$SG_PID"
    record "C SessionGate, cached verdicts, paced"
    C_PACED_P99=$R_p99_us; C_PACED_P50=$R_p50_us; C_PACED_RPS=$R_rps
  fi
fi

# --- D: SessionGate, a fresh header on every request ---------------------------------------------
if want D; then
  # No run can verify faster than cores × the single-core verify rate, so that many headers per second
  # (plus 10%) are enough; running out fails the run rather than measuring cached verdicts.
  D_COUNT=$(( CORES * VERIFY_RATE * (D_DURATION + D_WARMUP) * 11 / 10 ))
  log "D: signing $D_COUNT fresh headers over the gateway's current block"
  dotnet "$LOADTOOL" headers --gateway "http://127.0.0.1:$SG_PORT/" --accounts "$ACCOUNTS" --count "$D_COUNT" --out "$work/fresh.txt" >&2
  D_WARM_COUNT=$(( CORES * VERIFY_RATE * D_WARMUP * 11 / 10 ))
  head -n "$D_WARM_COUNT" "$work/fresh.txt" > "$work/fresh-warmup.txt"
  tail -n +"$(( D_WARM_COUNT + 1 ))" "$work/fresh.txt" > "$work/fresh-run.txt"
  rm -f "$work/fresh.txt"
  run_wrk D-warmup "http://127.0.0.1:$SG_PORT/api/ping" "$work/fresh-warmup.txt" once "$D_WARMUP" 0 "$SG_PID"
  redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
  D_OPS0=$(redis_ops "$SG_PORT")
  run_wrk D "http://127.0.0.1:$SG_PORT/api/ping" "$work/fresh-run.txt" once "$D_DURATION" 0 "$SG_PID"
  D_OPS1=$(redis_ops "$SG_PORT")
  redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' > "$OUT/redis-commandstats-D.txt"
  record "D SessionGate, fresh header each request"
  D_RPS=$R_rps; D_PROXY_US=$R_proxy_us; D_TOTAL_US=$(( R_proxy_us + R_up_us + R_redis_us + R_wrk_us )); D_PROXY_CORES=$R_proxy_cores
  D_REDIS=$(redis_per_request "$OUT/redis-commandstats-D.txt" "$R_requests" "$D_OPS0" "$D_OPS1")
  check_redis_limiter "D SessionGate, fresh header each request" "$OUT/redis-commandstats-D.txt" "$R_requests"
  rm -f "$work"/fresh-*.txt
fi
stop "$SG_PID"
fallbacks=$(grep -c 'cannot use Redis' "$OUT/sessiongate.log" || true)
[ "$fallbacks" -eq 0 ] || bad_runs+=("the gateway logged $fallbacks Redis fallback(s) of the limiter (see $OUT/sessiongate.log)")

# --- C0 (diagnostic): C with in-memory stores, to separate the Redis limiter's share of C's cost --------
if want C0; then
  mkdir -p "$work/gateway-memory"
  dotnet "$LOADTOOL" config --accounts "$ACCOUNTS" --upstream "http://127.0.0.1:$UP_PORT/" \
    --redis none --out "$work/gateway-memory/appsettings.json"
  free_port; MEM_PORT=$PORT
  log "C0 (diagnostic): SessionGate with in-memory stores on 127.0.0.1:$MEM_PORT"
  # shellcheck disable=SC2086  # GATEWAY_ENV is a list of VAR=value words
  env "$NO_BUDGET" $GATEWAY_ENV dotnet "$SESSIONGATE" serve --contentRoot "$work/gateway-memory" --urls "http://127.0.0.1:$MEM_PORT" > "$OUT/sessiongate-memory.log" 2>&1 &
  MEM_PID=$!; pids+=("$MEM_PID")
  wait_http "http://127.0.0.1:$MEM_PORT/_sessiongate/block" "$MEM_PID" "sessiongate (memory)" "$OUT/sessiongate-memory.log"
  # Its own dev chain: the headers are signed over its block.
  dotnet "$LOADTOOL" headers --gateway "http://127.0.0.1:$MEM_PORT/" --accounts "$ACCOUNTS" --count "$ACCOUNTS" --out "$work/reused-memory.txt" >&2
  run_wrk C0-warmup "http://127.0.0.1:$MEM_PORT/api/ping" "$work/reused-memory.txt" cycle "$WARMUP" 0 "$MEM_PID"
  alloc_watch "$MEM_PID" C0 "$DURATION"
  run_wrk C0 "http://127.0.0.1:$MEM_PORT/api/ping" "$work/reused-memory.txt" cycle "$DURATION" 0 "$MEM_PID"
  alloc_read C0
  record "C0 diagnostic: C with in-memory stores"; alloc_record "C0 diagnostic: C with in-memory stores"
  C0_RPS=$R_rps; C0_PROXY_US=$R_proxy_us; C0_BYTES=$A_bytes
  stop "$MEM_PID"
fi

# --- E0 and E: nginx as a reverse proxy, without and with limit_req keyed by the header -------------
# e_conf DIR LIMIT: E's nginx.conf; LIMIT 1 adds the limit_req zone and directive, 0 leaves them out
# (E0), everything else identical, so E − E0 is what nginx's limiting costs per request.
e_conf() {
  local dir=$1 limit=$2
  mkdir -p "$dir"
  nginx_conf "$dir" <<CONF
  underscores_in_headers on;   # kira_session has an underscore; nginx drops such headers by default
$(if [ "$limit" = 1 ]; then
  echo '  # One bucket per header value, far above what one value sends, like the generous tier of C.'
  echo '  limit_req_zone $http_kira_session zone=sessions:64m rate=1000000r/s;'
  echo '  limit_req_status 429;'
fi)
  upstream api { server 127.0.0.1:$UP_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$E_PORT;
    location /api/ {
$(if [ "$limit" = 1 ]; then echo '      limit_req zone=sessions burst=1000000 nodelay;'; fi)
      proxy_pass http://api;
      proxy_http_version 1.1;            # keep-alive to the upstream, as YARP does
      proxy_set_header Connection "";
    }
  }
CONF
}
run_nginx_proxy() {  # run_nginx_proxy NAME LIMIT LABEL: one nginx proxy run; sets R_*
  local name=$1 limit=$2 label=$3 pid
  e_conf "$work/$name" "$limit"
  log "$label on 127.0.0.1:$E_PORT"
  "$NGINX" -p "$work/$name" -c "$work/$name/nginx.conf" -g 'daemon off;' > "$OUT/nginx-$name.log" 2>&1 &
  pid=$!; pids+=("$pid")
  wait_http "http://127.0.0.1:$E_PORT/api/ping" "$pid" "nginx ($name)" "$OUT/nginx-$name.log"
  run_wrk "$name-warmup" "http://127.0.0.1:$E_PORT/api/ping" "$work/reused.txt" cycle "$WARMUP" 0 "$pid"
  run_wrk "$name" "http://127.0.0.1:$E_PORT/api/ping" "$work/reused.txt" cycle "$DURATION" 0 "$pid"
  record "$label"
  stop "$pid"
}
if want E0; then
  run_nginx_proxy E0 0 "E0 nginx reverse proxy, no limit_req"
  E0_RPS=$R_rps; E0_PROXY_US=$R_proxy_us
fi
if want E; then
  run_nginx_proxy E 1 "E nginx + limit_req"
  E_RPS=$R_rps; E_PROXY_US=$R_proxy_us; E_TOTAL_US=$(( R_proxy_us + R_up_us + R_redis_us + R_wrk_us ))
fi

# --- C3: three SessionGate instances on one Redis, a tier that refuses ------------------------------
# The instances share the Redis limiter (and the dev chain's blocks, through Redis: a header signed over
# any instance's block is valid on all). The tier is lowered for this run through the environment
# (SessionGate__RateLimiting__Tiers__0__…) to C3_RATE permits/s and a burst of C3_BURST per account;
# C3_ACCOUNTS accounts send all the measured requests, through three wrk processes (one per instance,
# CONNECTIONS/3 connections and one thread each), so the instances compete for the same buckets.
# Admitted (2xx) is compared with the limit: accounts × (burst + rate × the run's wall-clock span from
# the first wrk's start to the last one's end; a slight overstatement of the window, so of the limit).
# The warm-up uses the other accounts, so the measured accounts start with full buckets.
if want C3; then
  C3_PORTS=(); C3_PIDS=()
  # InstanceCount=3: the burst share of a leased block (and LocalFallback's share) is per instance.
  C3_ENV="SessionGate__RateLimiting__Tiers__0__PermitsPerMinute=$(( C3_RATE * 60 )) SessionGate__RateLimiting__Tiers__0__Burst=$C3_BURST SessionGate__RateLimiting__InstanceCount=3"
  for i in 1 2 3; do
    free_port; C3_PORTS+=("$PORT")
    log "C3: SessionGate instance $i of 3 on 127.0.0.1:$PORT (Redis 127.0.0.1:$REDIS_PORT, $C3_RATE permits/s, burst $C3_BURST per account)"
    EXTRA_ENV=$C3_ENV start_gateway "sessiongate-c3-$i" "$PORT"
    C3_PIDS+=("$GW_PID")
  done
  dotnet "$LOADTOOL" headers --gateway "http://127.0.0.1:${C3_PORTS[0]}/" --accounts "$ACCOUNTS" --count "$ACCOUNTS" --out "$work/c3-all.txt" >&2
  head -n "$C3_ACCOUNTS" "$work/c3-all.txt" > "$work/c3-measured.txt"        # line i is account i
  tail -n +"$(( C3_ACCOUNTS + 1 ))" "$work/c3-all.txt" > "$work/c3-warmup.txt"
  for i in 0 1 2; do expect_status 200 "http://127.0.0.1:${C3_PORTS[$i]}/api/ping" "$(sed -n 1p "$work/c3-warmup.txt")"; done
  c3_conns=$(( CONNECTIONS / 3 > 0 ? CONNECTIONS / 3 : 1 ))
  run_c3() {  # run_c3 NAME HEADERS SECONDS: three wrk processes at once; sets C3_* totals
    local name=$1 headers=$2 secs=$3 i c0 c1 t0 t1 r0 r1 start end line kv
    c0=$(cpu_ticks "${C3_PIDS[@]}"); r0=$(cpu_ticks "$REDIS_PID"); children_cpu; t0=$CHILDREN_CPU; start=$(date +%s.%N)
    local wpids=()
    for i in 0 1 2; do
      LOAD_HEADERS="$headers" LOAD_MODE=cycle LOAD_THREADS=1 LOAD_RATE=0 \
        wrk -t 1 -c "$c3_conns" -d "${secs}s" --timeout 5s -s bench/load/requests.lua "http://127.0.0.1:${C3_PORTS[$i]}/api/ping" \
        > "$OUT/wrk-$name-$((i + 1)).log" 2>&1 &
      wpids+=($!); pids+=($!)
    done
    for i in 0 1 2; do
      wait "${wpids[$i]}" || { echo "run.sh: wrk failed for $name ($((i + 1))):" >&2; cat "$OUT/wrk-$name-$((i + 1)).log" >&2; exit 1; }
      forget "${wpids[$i]}"
    done
    end=$(date +%s.%N); children_cpu; t1=$CHILDREN_CPU; c1=$(cpu_ticks "${C3_PIDS[@]}"); r1=$(cpu_ticks "$REDIS_PID")
    C3_requests=0; C3_s2xx=0; C3_s429=0; C3_other=0; C3_p99=0
    for i in 1 2 3; do
      line=$(grep '^RESULT ' "$OUT/wrk-$name-$i.log" || true)
      [ -n "$line" ] || { echo "run.sh: wrk printed no result for $name ($i):" >&2; cat "$OUT/wrk-$name-$i.log" >&2; exit 1; }
      for kv in ${line#RESULT }; do eval "W_${kv%%=*}=${kv#*=}"; done
      C3_requests=$(( C3_requests + W_requests )); C3_s2xx=$(( C3_s2xx + W_s2xx )); C3_s429=$(( C3_s429 + W_s429 ))
      C3_other=$(( C3_other + W_requests - W_s2xx - W_s429 + W_err_connect + W_err_read + W_err_write + W_err_timeout ))
      [ "$W_p99_us" -gt "$C3_p99" ] && C3_p99=$W_p99_us
      echo "$name-$i $line" >> "$OUT/runs.txt"
    done
    C3_span=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
    C3_rps=$(awk -v n="$C3_requests" -v d="$C3_span" 'BEGIN { printf "%.0f", n / d }')
    C3_proxy_us=$(awk -v t=$(( c1 - c0 )) -v hz="$TICKS" -v n="$C3_requests" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
    C3_redis_us=$(awk -v t=$(( r1 - r0 )) -v hz="$TICKS" -v n="$C3_requests" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
    C3_wrk_us=$(awk -v a="$t0" -v b="$t1" -v n="$C3_requests" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }')
    log "$name: $C3_rps req/s over 3 instances, 2xx $C3_s2xx, 429 $C3_s429, other $C3_other of $C3_requests in $C3_span s; CPU us/request: gateways $C3_proxy_us, redis $C3_redis_us, wrk $C3_wrk_us"
  }
  run_c3 C3-warmup "$work/c3-warmup.txt" "$C3_WARMUP"
  redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
  C3_OPS0=$(redis_ops "${C3_PORTS[@]}")
  run_c3 C3 "$work/c3-measured.txt" "$C3_DURATION"
  C3_OPS1=$(redis_ops "${C3_PORTS[@]}")
  redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' > "$OUT/redis-commandstats-C3.txt"
  C3_LIMIT=$(awk -v a="$C3_ACCOUNTS" -v b="$C3_BURST" -v r="$C3_RATE" -v d="$C3_span" 'BEGIN { printf "%.0f", a * (b + r * d) }')
  C3_REDIS=$(redis_per_request "$OUT/redis-commandstats-C3.txt" "$C3_requests" "$C3_OPS0" "$C3_OPS1")
  results+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "C3 three SessionGate instances, one Redis, $C3_ACCOUNTS accounts at $C3_RATE/s (burst $C3_BURST)" \
    "$(fmt "$C3_rps")" "-" "$(ms "$C3_p99") (worst of 3)" "$C3_s2xx / $C3_requests ($C3_s429 × 429)" "$C3_other" "$C3_proxy_us (3 together)" "-" "$C3_redis_us" "$C3_wrk_us" "-")")
  if awk -v b="$C3_other" -v n="$C3_requests" -v f="$MAX_BAD_FRACTION" 'BEGIN { exit !(b > n * f) }'; then
    bad_runs+=("C3: $C3_other of $C3_requests requests neither 2xx nor 429, or failed")
  fi
  [ "$C3_s429" -gt 0 ] || bad_runs+=("C3: no request was refused (429): the tier did not limit; lower C3_RATE/C3_BURST or raise the load")
  c3_fallbacks=$(cat "$OUT"/sessiongate-c3-*.log | grep -c 'cannot use Redis' || true)
  [ "$c3_fallbacks" -eq 0 ] || bad_runs+=("C3: the gateways logged $c3_fallbacks Redis fallback(s) of the limiter (decisions made per instance; see $OUT/sessiongate-c3-*.log)")
  for pid in "${C3_PIDS[@]}"; do stop "$pid"; done
fi

# --- report --------------------------------------------------------------------------------------
has() { local v; for v in "$@"; do [ -n "${!v:-}" ] || return 1; done; }   # has VAR...: every one was measured
{
  echo "## Load benchmark results"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') × $CORES cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);"
  echo "$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1 | sed 's/.*: //'), redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), .NET $(dotnet --version)."
  echo "Command: \`$( [ -n "$GATEWAY_ENV" ] && printf 'GATEWAY_ENV="%s" ' "$GATEWAY_ENV")SCENARIOS=\"$SCENARIOS\" DURATION=${DURATION}s WARMUP=${WARMUP}s CONNECTIONS=$CONNECTIONS THREADS=$THREADS ACCOUNTS=$ACCOUNTS PACED_DURATION=${PACED_DURATION}s D_DURATION=${D_DURATION}s ALLOC=$ALLOC$(want C3 && echo " C3_ACCOUNTS=$C3_ACCOUNTS C3_RATE=$C3_RATE C3_BURST=$C3_BURST C3_DURATION=${C3_DURATION}s") bench/load/run.sh\`"
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| run | req/s | p50 ms | p99 ms | 2xx / requests | bad | CPU µs/req: proxy | upstream | Redis | wrk | other load (cores) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${results[@]}"
  echo
  echo "CPU µs/req: CPU time (user + system) of each process during the run divided by its requests (proxy: the"
  echo "gateway or nginx E). Other load: CPU used meanwhile by everything else on the machine, in cores (0 on a quiet machine)."
  if [ ${#alloc_rows[@]} -gt 0 ]; then
    echo
    echo "Allocation (dotnet-counters on the gateway during the measured run, the seconds it served load):"
    echo
    echo "| run | bytes allocated / request | GCs per 1,000 requests: gen0 / gen1 / gen2 | GC pause µs / request | req/s |"
    echo "|---|---:|---:|---:|---:|"
    printf '%s\n' "${alloc_rows[@]}"
  fi
  echo
  echo "| figure | value | target |"
  echo "|---|---:|---:|"
  has C_RPS B_RPS && echo "| C/B (cached verdicts vs bare YARP) | $(ratio "$C_RPS" "$B_RPS") | ≥ 0.90 |"
  has D_RPS B_RPS && echo "| D/B (a verify per request vs bare YARP) | $(ratio "$D_RPS" "$B_RPS") | |"
  has C_RPS E_RPS && echo "| C/E (SessionGate vs nginx + limit_req) | $(ratio "$C_RPS" "$E_RPS") | |"
  # When the cores are the limit, throughput is cores / (all CPU per request): these ratios do not
  # depend on how much of the machine other tenants took during each run.
  has B_TOTAL_US C_TOTAL_US D_TOTAL_US E_TOTAL_US && \
    echo "| the same from all CPU per request (wrk + proxy + upstream + Redis): C/B, D/B, C/E | $(ratio "$B_TOTAL_US" "$C_TOTAL_US"), $(ratio "$B_TOTAL_US" "$D_TOTAL_US"), $(ratio "$E_TOTAL_US" "$C_TOTAL_US") (B $B_TOTAL_US, C $C_TOTAL_US, D $D_TOTAL_US, E $E_TOTAL_US µs) | C/B ≥ 0.90 |"
  has C0_RPS B_RPS && echo "| C0/B (diagnostic: SessionGate with in-memory stores vs bare YARP) | $(ratio "$C0_RPS" "$B_RPS") | ≥ 0.95 |"
  has B_PROXY_US C0_PROXY_US C_PROXY_US && \
    echo "| gateway CPU per request: B → C0 → C | $B_PROXY_US → $C0_PROXY_US → $C_PROXY_US µs (SessionGate without Redis +$(( C0_PROXY_US - B_PROXY_US )), Redis limiter +$(( C_PROXY_US - C0_PROXY_US ))) | |"
  # Like for like: what authentication + limiting adds to YARP's proxy hop, and what limit_req adds to nginx's.
  has B_PROXY_US C_PROXY_US && echo "| SessionGate's added gateway CPU per request, C − B | $C_PROXY_US − $B_PROXY_US = $(( C_PROXY_US - B_PROXY_US )) µs | ≤ 5 µs |"
  has E0_PROXY_US E_PROXY_US && echo "| nginx's added CPU per request for limit_req, E − E0 | $E_PROXY_US − $E0_PROXY_US = $(( E_PROXY_US - E0_PROXY_US )) µs (E/E0 req/s $(ratio "$E_RPS" "$E0_RPS")) | |"
  has B_PROXY_US E0_PROXY_US && echo "| the bare proxy hops, B (YARP) and E0 (nginx) | $B_PROXY_US and $E0_PROXY_US µs per request | |"
  [ "$ALLOC" = 1 ] && has B_BYTES C0_BYTES C_BYTES && echo "| bytes allocated per request: B → C0 → C | $B_BYTES → $C0_BYTES → $C_BYTES (SessionGate adds $(awk -v b="$B_BYTES" -v c="$C_BYTES" 'BEGIN { if (b ~ /^[0-9]+$/ && c ~ /^[0-9]+$/) print c - b; else print "?" }')) | ≤ 200 added |"
  has A_RPS B_RPS && echo "| B/A (YARP vs the upstream directly) | $(ratio "$B_RPS" "$A_RPS") | |"
  if has C_PACED_P99 B_PACED_P99; then
    P99_ADDED_US=$(( C_PACED_P99 - B_PACED_P99 ))
    echo "| p99 added by SessionGate at half of B's saturation (C paced − B paced, $(fmt "$C_PACED_RPS") vs $(fmt "$B_PACED_RPS") req/s achieved) | $(ms "$P99_ADDED_US") ms (p99 $(ms "$C_PACED_P99") vs $(ms "$B_PACED_P99"); p50 $(ms "$C_PACED_P50") vs $(ms "$B_PACED_P50")) | ≤ 1 ms |"
  fi
  has C_REDIS && echo "| Redis commands per request, C | $C_REDIS | ≤ 0.01 (leases) |"
  has D_REDIS && echo "| Redis commands per request, D | $D_REDIS | |"
  if has D_RPS; then
    D_CEILING=$(( CORES * VERIFY_RATE ))
    echo "| D against cores × single-core verify rate ($CORES × $VERIFY_RATE = $(fmt "$D_CEILING")/s) | $(fmt "$D_RPS")/s = $(ratio "$D_RPS" "$D_CEILING") of it | ≈ 1 |"
    has C_PROXY_US && echo "| D: the gateway's CPU per request, fresh (D) − cached (C) | $D_PROXY_US − $C_PROXY_US = $(( D_PROXY_US - C_PROXY_US )) µs (one verify alone: $(awk -v r="$VERIFY_RATE" 'BEGIN { printf "%.1f", 1e6 / r }') µs) | |"
    has C_TOTAL_US && echo "| D: all CPU per request (gateway, upstream, Redis, wrk) → what $CORES cores allow | $D_TOTAL_US µs → $(fmt "$(( CORES * 1000000 / (D_TOTAL_US > 0 ? D_TOTAL_US : 1) ))")/s (C: $C_TOTAL_US µs → $(fmt "$(( CORES * 1000000 / (C_TOTAL_US > 0 ? C_TOTAL_US : 1) ))")/s); the gateway used $D_PROXY_CORES cores in D | |"
  fi
  if has C3_LIMIT; then
    echo "| C3: admitted (2xx) vs the limit, three instances on one Redis ($C3_ACCOUNTS × ($C3_BURST + $C3_RATE/s × $C3_span s)) | $(fmt "$C3_s2xx") vs $(fmt "$C3_LIMIT") = $(ratio "$C3_s2xx" "$C3_LIMIT") of it ($(fmt "$C3_s429") refused of $(fmt "$C3_requests")) | ≤ 1.01, ≥ 1 − instances × block / limit |"
    echo "| Redis commands per request, C3 | $C3_REDIS | ≤ 0.01 (leases) |"
  fi
  if [ ${#bad_runs[@]} -gt 0 ]; then
    echo
    echo "**FAILED CHECKS** (non-2xx above $MAX_BAD_FRACTION of requests, fresh headers ran out, or the limiter left Redis):"
    printf -- '- %s\n' "${bad_runs[@]}"
  fi
} > "$OUT/results.md"
cat "$OUT/results.md"
if [ ${#bad_runs[@]} -gt 0 ]; then
  echo "run.sh: FAILED: ${#bad_runs[@]} check(s) failed (listed above); logs in $OUT" >&2
  exit 1
fi
