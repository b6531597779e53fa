#!/usr/bin/env bash
# Load benchmark (issue 7): wrk against five targets, in one run on one machine, all in front of the
# same small upstream (nginx answering "return 200" on its own port):
#   A  the upstream directly
#   B  bare YARP: `sessiongate serve --bare-proxy`, the same binary and proxy configuration, SessionGate off
#   C  SessionGate, reused valid headers (cached verdicts), ACCOUNTS accounts, Redis limiter
#   D  SessionGate, a fresh header on every request (every request pays an sr25519 verify)
#   E  nginx as a reverse proxy with limit_req keyed by the kira_session header
# then B and C again at half of B's saturation rate (paced), for the p99 SessionGate adds, and (DIAGNOSE=1)
#   C0 C with in-memory stores instead of Redis, to show where C's extra cost over B goes.
# Prints a Markdown table and writes it to $OUT/results.md; wrk and server logs stay in $OUT.
# Exits 1 when a run saw more than MAX_BAD_FRACTION non-2xx answers or socket errors, when D ran out
# of fresh headers (it would have measured cached verdicts), when the limiter did not decide every C/D
# request in Redis, or when a gateway does not behave as its run assumes (checked before measuring).
#
# usage: bench/load/run.sh            (as root, or with wrk, nginx and redis-server installed)
# env:   DURATION=20s  WARMUP=5s  CONNECTIONS=64  THREADS=2  ACCOUNTS=1000
#        PACED_DURATION=10s  D_DURATION=10s  D_WARMUP=2s  VERIFY_RATE=16000  MAX_BAD_FRACTION=0.001
#        DIAGNOSE=1 (also C0: C with in-memory stores, to split C's cost)  OUT=artifacts/load
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
OUT=${OUT:-artifacts/load}
CORES=$(nproc)
for n in DURATION WARMUP PACED_DURATION D_DURATION D_WARMUP CONNECTIONS THREADS ACCOUNTS VERIFY_RATE; do
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
    port=$(( 20000 + RANDOM % 40000 ))
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
  env "$NO_BUDGET" dotnet "$SESSIONGATE" serve "$@" --contentRoot "$work/gateway" --urls "http://127.0.0.1:$port" > "$OUT/$name.log" 2>&1 &
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

redis_per_request() {  # FILE REQUESTS -> "evalsha per request; total executed (each command)"; our own INFO/CONFIG excluded
  awk -F'[:,=]' -v n="$2" '/^cmdstat_/ { c = substr($1, 9); k = $3; if (c == "info" || c ~ /^config/) next;
      t += k; if (c == "evalsha" || c == "eval") e += k; if (k / n >= 0.0005) s = s sprintf("%s%s %.3f", s == "" ? "" : ", ", toupper(c), k / n) }
    END { printf "%.3f EVALSHA/EVAL sent (concurrent decisions share one); %.3f executed in all (%s)", e / n, t / n, s }' "$1"
}
# Every decision runs the script's one GET of its bucket inside Redis, whether it was sent alone or in a
# batch of concurrent decisions (one EVALSHA each batch): GETs per request show the share decided in Redis.
check_redis_limiter() {  # LABEL FILE REQUESTS: every request must have been decided in Redis
  local per
  per=$(awk -F'[:,=]' -v n="$3" '/^cmdstat_get:/ { e += $3 } END { printf "%.3f", e / n }' "$2")
  if awk -v p="$per" 'BEGIN { exit !(p < 0.99) }'; then
    bad_runs+=("$1: only $per decisions in Redis per request: the limiter decided locally part of the time (see 'cannot use Redis' in $OUT/sessiongate.log)")
  fi
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

log "A: upstream directly (warm-up ${WARMUP}s, then ${DURATION}s)"
run_wrk A-warmup "http://127.0.0.1:$UP_PORT/api/ping" "$work/reused.txt" cycle "$WARMUP" 0 -
run_wrk A "http://127.0.0.1:$UP_PORT/api/ping" "$work/reused.txt" cycle "$DURATION" 0 -
record "A upstream directly"
A_RPS=$R_rps

# --- B: bare YARP, saturation and paced ---------------------------------------------------------
log "B: bare YARP (sessiongate serve --bare-proxy) on 127.0.0.1:$BARE_PORT"
start_gateway bare-yarp "$BARE_PORT" --bare-proxy
BARE_PID=$GW_PID
expect_status 200 "http://127.0.0.1:$BARE_PORT/api/ping"   # no header needed: SessionGate is off
run_wrk B-warmup "http://127.0.0.1:$BARE_PORT/api/ping" "$work/reused.txt" cycle "$WARMUP" 0 "$BARE_PID"
run_wrk B "http://127.0.0.1:$BARE_PORT/api/ping" "$work/reused.txt" cycle "$DURATION" 0 "$BARE_PID"
record "B bare YARP"
B_RPS=$R_rps; B_PROXY_US=$R_proxy_us; B_TOTAL_US=$(( R_proxy_us + R_up_us + R_redis_us + R_wrk_us ))
PACE_RATE=$(( B_RPS / 2 ))
log "paced runs: $PACE_RATE req/s (half of B's $B_RPS) on $CONNECTIONS connections"
run_wrk B-paced "http://127.0.0.1:$BARE_PORT/api/ping" "$work/reused.txt" cycle "$PACED_DURATION" "$PACE_RATE" "$BARE_PID"
record "B bare YARP, paced"
B_PACED_P99=$R_p99_us; B_PACED_P50=$R_p50_us; B_PACED_RPS=$R_rps
stop "$BARE_PID"

# --- C: SessionGate, reused headers (cached verdicts), Redis limiter ------------------------------
log "C: SessionGate, $ACCOUNTS accounts, reused headers, Redis limiter"
run_wrk C-warmup "http://127.0.0.1:$SG_PORT/api/ping" "$work/reused.txt" cycle "$WARMUP" 0 "$SG_PID"
redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
run_wrk C "http://127.0.0.1:$SG_PORT/api/ping" "$work/reused.txt" cycle "$DURATION" 0 "$SG_PID"
redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' > "$OUT/redis-commandstats-C.txt"
record "C SessionGate, cached verdicts"
C_RPS=$R_rps; C_REQUESTS=$R_requests; C_PROXY_US=$R_proxy_us; C_TOTAL_US=$(( R_proxy_us + R_up_us + R_redis_us + R_wrk_us ))
C_REDIS=$(redis_per_request "$OUT/redis-commandstats-C.txt" "$C_REQUESTS")
check_redis_limiter "C SessionGate, cached verdicts" "$OUT/redis-commandstats-C.txt" "$C_REQUESTS"
run_wrk C-paced "http://127.0.0.1:$SG_PORT/api/ping" "$work/reused.txt" cycle "$PACED_DURATION" "$PACE_RATE" "$SG_PID"
record "C SessionGate, cached verdicts, paced"
C_PACED_P99=$R_p99_us; C_PACED_P50=$R_p50_us; C_PACED_RPS=$R_rps

# --- D: SessionGate, a fresh header on every request ---------------------------------------------
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
run_wrk D "http://127.0.0.1:$SG_PORT/api/ping" "$work/fresh-run.txt" once "$D_DURATION" 0 "$SG_PID"
redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' > "$OUT/redis-commandstats-D.txt"
record "D SessionGate, fresh header each request"
D_RPS=$R_rps; D_PROXY_US=$R_proxy_us; D_TOTAL_US=$(( R_proxy_us + R_up_us + R_redis_us + R_wrk_us )); D_PROXY_CORES=$R_proxy_cores
D_REDIS=$(redis_per_request "$OUT/redis-commandstats-D.txt" "$R_requests")
check_redis_limiter "D SessionGate, fresh header each request" "$OUT/redis-commandstats-D.txt" "$R_requests"
rm -f "$work"/fresh-*.txt
stop "$SG_PID"
fallbacks=$(grep -c 'cannot use Redis' "$OUT/sessiongate.log" || true)
[ "$fallbacks" -eq 0 ] || bad_runs+=("the gateway logged $fallbacks Redis fallback(s) of the limiter (see $OUT/sessiongate.log)")

# --- C0 (diagnostic): C with in-memory stores, to separate the Redis limiter's share of C's cost --------
if [ "$DIAGNOSE" = 1 ]; then
  mkdir -p "$work/gateway-memory"
  dotnet "$LOADTOOL" config --accounts "$ACCOUNTS" --upstream "http://127.0.0.1:$UP_PORT/" \
    --redis none --out "$work/gateway-memory/appsettings.json"
  free_port; MEM_PORT=$PORT
  log "C0 (diagnostic): SessionGate with in-memory stores on 127.0.0.1:$MEM_PORT"
  env "$NO_BUDGET" dotnet "$SESSIONGATE" serve --contentRoot "$work/gateway-memory" --urls "http://127.0.0.1:$MEM_PORT" > "$OUT/sessiongate-memory.log" 2>&1 &
  MEM_PID=$!; pids+=("$MEM_PID")
  wait_http "http://127.0.0.1:$MEM_PORT/_sessiongate/block" "$MEM_PID" "sessiongate (memory)" "$OUT/sessiongate-memory.log"
  # Its own dev chain: the headers are signed over its block.
  dotnet "$LOADTOOL" headers --gateway "http://127.0.0.1:$MEM_PORT/" --accounts "$ACCOUNTS" --count "$ACCOUNTS" --out "$work/reused-memory.txt" >&2
  run_wrk C0-warmup "http://127.0.0.1:$MEM_PORT/api/ping" "$work/reused-memory.txt" cycle "$WARMUP" 0 "$MEM_PID"
  run_wrk C0 "http://127.0.0.1:$MEM_PORT/api/ping" "$work/reused-memory.txt" cycle "$DURATION" 0 "$MEM_PID"
  record "C0 diagnostic: C with in-memory stores"
  C0_RPS=$R_rps; C0_PROXY_US=$R_proxy_us
  stop "$MEM_PID"
fi

# --- E: nginx reverse proxy with limit_req keyed by the header --------------------------------------
mkdir -p "$work/e"
nginx_conf "$work/e" <<EOF
  underscores_in_headers on;   # kira_session has an underscore; nginx drops such headers by default
  # One bucket per header value, far above what one value sends, like C's generous tier.
  limit_req_zone \$http_kira_session zone=sessions:64m rate=1000000r/s;
  limit_req_status 429;
  upstream api { server 127.0.0.1:$UP_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$E_PORT;
    location /api/ {
      limit_req zone=sessions burst=1000000 nodelay;
      proxy_pass http://api;
      proxy_http_version 1.1;            # keep-alive to the upstream, as YARP does
      proxy_set_header Connection "";
    }
  }
EOF
log "E: nginx reverse proxy with limit_req keyed by kira_session on 127.0.0.1:$E_PORT"
"$NGINX" -p "$work/e" -c "$work/e/nginx.conf" -g 'daemon off;' > "$OUT/nginx-e.log" 2>&1 &
E_PID=$!; pids+=("$E_PID")
wait_http "http://127.0.0.1:$E_PORT/api/ping" "$E_PID" "nginx (E)" "$OUT/nginx-e.log"
run_wrk E-warmup "http://127.0.0.1:$E_PORT/api/ping" "$work/reused.txt" cycle "$WARMUP" 0 "$E_PID"
run_wrk E "http://127.0.0.1:$E_PORT/api/ping" "$work/reused.txt" cycle "$DURATION" 0 "$E_PID"
record "E nginx + limit_req"
E_RPS=$R_rps; E_TOTAL_US=$(( R_proxy_us + R_up_us + R_redis_us + R_wrk_us ))
stop "$E_PID"

# --- report --------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }
P99_ADDED_US=$(( C_PACED_P99 - B_PACED_P99 ))
D_CEILING=$(( CORES * VERIFY_RATE ))
D_VERIFY_US=$(( D_PROXY_US - C_PROXY_US ))  # the gateway's extra CPU per request when every header is new
{
  echo "## Load benchmark results"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') × $CORES cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);"
  echo "$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1 | sed 's/.*: //'), redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), .NET $(dotnet --version)."
  echo "Command: \`DURATION=${DURATION}s WARMUP=${WARMUP}s CONNECTIONS=$CONNECTIONS THREADS=$THREADS ACCOUNTS=$ACCOUNTS PACED_DURATION=${PACED_DURATION}s D_DURATION=${D_DURATION}s bench/load/run.sh\`"
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| run | req/s | p50 ms | p99 ms | 2xx / requests | bad | CPU µs/req: proxy | upstream | Redis | wrk | other load (cores) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${results[@]}"
  echo
  echo "CPU µs/req: CPU time (user + system) of each process during the run divided by its requests (proxy: the"
  echo "gateway or nginx E). Other load: CPU used meanwhile by everything else on the machine, in cores (0 on a quiet machine)."
  echo
  echo "| figure | value | target |"
  echo "|---|---:|---:|"
  echo "| C/B (cached verdicts vs bare YARP) | $(ratio "$C_RPS" "$B_RPS") | ≥ 0.90 |"
  echo "| D/B (a verify per request vs bare YARP) | $(ratio "$D_RPS" "$B_RPS") | |"
  echo "| C/E (SessionGate vs nginx + limit_req) | $(ratio "$C_RPS" "$E_RPS") | |"
  # When the cores are the limit, throughput is cores / (all CPU per request): these ratios do not
  # depend on how much of the machine other tenants took during each run.
  echo "| the same from all CPU per request (wrk + proxy + upstream + Redis): C/B, D/B, C/E | $(ratio "$B_TOTAL_US" "$C_TOTAL_US"), $(ratio "$B_TOTAL_US" "$D_TOTAL_US"), $(ratio "$E_TOTAL_US" "$C_TOTAL_US") (B $B_TOTAL_US, C $C_TOTAL_US, D $D_TOTAL_US, E $E_TOTAL_US µs) | C/B ≥ 0.90 |"
  if [ "$DIAGNOSE" = 1 ]; then
    echo "| C0/B (diagnostic: SessionGate with in-memory stores vs bare YARP) | $(ratio "$C0_RPS" "$B_RPS") | |"
    echo "| gateway CPU per request: B → C0 → C | $B_PROXY_US → $C0_PROXY_US → $C_PROXY_US µs (SessionGate without Redis +$(( C0_PROXY_US - B_PROXY_US )), Redis limiter +$(( C_PROXY_US - C0_PROXY_US ))) | |"
  fi
  echo "| B/A (YARP vs the upstream directly) | $(ratio "$B_RPS" "$A_RPS") | |"
  echo "| p99 added by SessionGate at half of B's saturation (C paced − B paced, $(fmt "$C_PACED_RPS") vs $(fmt "$B_PACED_RPS") req/s achieved) | $(ms "$P99_ADDED_US") ms (p99 $(ms "$C_PACED_P99") vs $(ms "$B_PACED_P99"); p50 $(ms "$C_PACED_P50") vs $(ms "$B_PACED_P50")) | ≤ 1 ms |"
  echo "| Redis commands per request, C | $C_REDIS | |"
  echo "| Redis commands per request, D | $D_REDIS | |"
  echo "| D against cores × single-core verify rate ($CORES × $VERIFY_RATE = $(fmt "$D_CEILING")/s) | $(fmt "$D_RPS")/s = $(ratio "$D_RPS" "$D_CEILING") of it | ≈ 1 |"
  echo "| D: the gateway's CPU per request, fresh (D) − cached (C) | $D_PROXY_US − $C_PROXY_US = $D_VERIFY_US µs (one verify alone: $(awk -v r="$VERIFY_RATE" 'BEGIN { printf "%.1f", 1e6 / r }') µs) | |"
  echo "| D: all CPU per request (gateway, upstream, Redis, wrk) → what $CORES cores allow | $D_TOTAL_US µs → $(fmt "$(( CORES * 1000000 / (D_TOTAL_US > 0 ? D_TOTAL_US : 1) ))")/s (C: $C_TOTAL_US µs → $(fmt "$(( CORES * 1000000 / (C_TOTAL_US > 0 ? C_TOTAL_US : 1) ))")/s); the gateway used $D_PROXY_CORES cores in D | |"
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
