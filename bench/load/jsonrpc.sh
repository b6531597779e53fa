#!/usr/bin/env bash
# JSON-RPC metering's added gateway CPU per request (issue 15): wrk POSTs the same bodies through
# `sessiongate serve` to two routes of one gateway, in front of one nginx upstream ("return 200"):
#   plain  /plain/…  a proxy route without metering (charged its SessionGate.Cost)
#   rpc    /rpc/…    the same route with SessionGate.JsonRpc = true (body read, parsed, cost summed)
# each with a 200-byte single eth_call and a 20-call batch. Reports requests/s and the gateway's CPU
# time per request (utime + stime from /proc over the measured run, divided by wrk's request count);
# the difference between the routes is what metering adds. Anonymous caller, in-memory limiter with
# limits that never refuse. Writes $OUT/results.md.
#
# usage: bench/load/jsonrpc.sh   (needs wrk, nginx, curl, python3 and a Release build of src/SessionGate.Proxy)
# env:   DURATION=15  WARMUP=5  CONNECTIONS=32  THREADS=2  OUT=artifacts/load-jsonrpc
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
OUT=${OUT:-artifacts/load-jsonrpc}
DLL=src/SessionGate.Proxy/bin/Release/net10.0/sessiongate.dll
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk curl python3 "$NGINX"; do command -v "$tool" >/dev/null 2>&1 || { echo "jsonrpc.sh: $tool is missing" >&2; exit 2; }; done
[ -f "$DLL" ] || { echo "jsonrpc.sh: build first: dotnet build src/SessionGate.Proxy -c Release" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UP=$(free_port)
GW=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

cat > "$OUT/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_buffer_size 64k;
  server { listen 127.0.0.1:$UP; location / { return 200 '{"jsonrpc":"2.0","result":"0x1","id":1}'; } }
}
EOF
"$NGINX" -c "$OUT/nginx.conf" -p "$OUT" >"$OUT/nginx.log" 2>&1 &
pids+=($!)

export ASPNETCORE_URLS="http://127.0.0.1:$GW"
export Logging__LogLevel__Default=Warning
export ReverseProxy__Clusters__up__Destinations__d1__Address="http://127.0.0.1:$UP/"
export ReverseProxy__Routes__plain__ClusterId=up ReverseProxy__Routes__plain__Match__Path='/plain/{**rest}'
export ReverseProxy__Routes__rpc__ClusterId=up ReverseProxy__Routes__rpc__Match__Path='/rpc/{**rest}'
export SessionGate__RateLimiting__Anonymous__PermitsPerMinute=60000000 SessionGate__RateLimiting__Anonymous__Burst=10000000
# Names with '.' or '*' are not shell identifiers: env passes them as they are.
# Costs of 1 keep a 20-call batch under the anonymous rate at full speed (at most 60,000,000 per
# minute), while every call still goes through the table's exact and prefix lookups.
env 'ReverseProxy__Routes__rpc__Metadata__SessionGate.JsonRpc=true' 'SessionGate__JsonRpc__Methods__eth_call=1' 'SessionGate__JsonRpc__Methods__eth_getLogs=1' \
    'SessionGate__JsonRpc__Methods__eth_get*=1' 'SessionGate__JsonRpc__Methods__eth_blockNumber=1' \
    'SessionGate__JsonRpc__Methods__status=1' 'SessionGate__JsonRpc__Disabled__0=debug_*' \
    dotnet "$DLL" serve >"$OUT/gateway.log" 2>&1 &
GATEWAY=$!
pids+=($GATEWAY)
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$GW/_sessiongate/version" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$GW/_sessiongate/version" >/dev/null || { echo "jsonrpc.sh: the gateway did not start (see $OUT/gateway.log)" >&2; exit 1; }

single='{"jsonrpc":"2.0","id":42,"method":"eth_call","params":[{"to":"0x6b175474e89094c44da98b954eedeac495271d0f","data":"0x70a08231000000000000000000000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"latest"]}'
batch=$(python3 -c '
import json
m=["eth_blockNumber","eth_getBalance","eth_call","eth_getLogs","status"]
print("["+",".join("{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"%s\",\"params\":[\"0x6b175474e89094c44da98b954eedeac495271d0f\",\"latest\"]}"%(i,m[i%5]) for i in range(20))+"]")')

# Both routes must answer 200 before anything is measured (rpc: the body really is metered).
for path in plain rpc; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data "$single" "http://127.0.0.1:$GW/$path/")
  [ "$code" = 200 ] || { echo "jsonrpc.sh: /$path answered $code" >&2; exit 1; }
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data '{"method":' "http://127.0.0.1:$GW/rpc/")
[ "$code" = 400 ] || { echo "jsonrpc.sh: /rpc did not refuse a malformed body ($code): not metered?" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$GATEWAY/stat"; }
HZ=$(getconf CLK_TCK)
echo "| route | body | bytes | requests/s | gateway CPU per request | non-2xx |" > "$OUT/results.md"
echo "|---|---|---:|---:|---:|---:|" >> "$OUT/results.md"
run() {  # route, name, body
  local route=$1 name=$2 body=$3 script="$OUT/$1-$2.lua"
  python3 - "$body" > "$script" <<'PY'
import json, sys
print('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ' + json.dumps(sys.argv[1]))
PY
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$script" "http://127.0.0.1:$GW/$route/" >/dev/null
  local before after
  before=$(cpu_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$script" "http://127.0.0.1:$GW/$route/" > "$OUT/$route-$name.wrk"
  after=$(cpu_ticks)
  local requests rps bad
  requests=$(awk '/requests in/ {print $1}' "$OUT/$route-$name.wrk")
  rps=$(awk '/Requests\/sec/ {printf "%d", $2}' "$OUT/$route-$name.wrk")
  bad=$(awk '/Non-2xx/ {print $NF}' "$OUT/$route-$name.wrk"); bad=${bad:-0}
  local us
  us=$(python3 -c "print('%.1f' % ((${after} - ${before}) / ${HZ} / ${requests} * 1e6))")
  echo "| $route | $name | ${#body} | $rps | ${us} µs | $bad |" >> "$OUT/results.md"
  [ "$bad" = 0 ] || { cat "$OUT/results.md"; echo "jsonrpc.sh: $route/$name saw $bad non-2xx answers: the figures would not compare" >&2; exit 1; }
}
# One untimed pass first, so neither route is measured while the JIT is still compiling.
run_quiet() { local script="$OUT/warm.lua"; python3 -c 'import json,sys; print("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = " + json.dumps(sys.argv[1]))' "$1" > "$script"; wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$script" "http://127.0.0.1:$GW/$2/" >/dev/null; }
for route in plain rpc; do run_quiet "$single" "$route"; run_quiet "$batch" "$route"; done
run plain single "$single"
run rpc single "$single"
run plain batch20 "$batch"
run rpc batch20 "$batch"
cat "$OUT/results.md"
