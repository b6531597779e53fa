#!/usr/bin/env bash
# GC settings for `sessiongate serve`, chosen by measurement (issue 16 part 1; docs/operations.md):
# bench/load/profile.sh (counters only, no trace) on SCENARIO with each setting in CONFIGS, in the order
# given and then in reverse (A B C C B A), so a drift of the shared machine shows up as a difference
# between a setting's two runs instead of as a difference between settings.
# Prints one line per run: CPU µs/request, req/s, p50/p99, bytes allocated/request, GCs per 1,000
# requests, GC pause µs/request, the gateway's resident set (end of the run, and its peak).
#
# usage: sg-cpu bench bench/load/gc.sh        (after `sg-cpu build bench/load/profile.sh build`)
# env:   SCENARIO=C0 (B, C0 or C)  WARMUP=20s  DURATION=15s  OUT=artifacts/gc
#        CONFIGS="name=VAR=value,VAR=value ..." (default below: the runtime's defaults for this app, server GC
#        with DATAS (the .NET 10 default for server GC), server GC without DATAS, workstation GC non-concurrent)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SCENARIO=${SCENARIO:-C0}
OUT=${OUT:-artifacts/gc}
CONFIGS=${CONFIGS:-"workstation=DOTNET_gcServer=0 server-datas=DOTNET_gcServer=1 server-nodatas=DOTNET_gcServer=1,DOTNET_GCDynamicAdaptationMode=0 workstation-nonconcurrent=DOTNET_gcServer=0,DOTNET_gcConcurrent=0"}
mkdir -p "$OUT"
read -r -a configs <<< "$CONFIGS"
order=("${configs[@]}")
for (( i=${#configs[@]}-1; i>=0; i-- )); do order+=("${configs[$i]}"); done
n=0
for c in "${order[@]}"; do
  n=$((n + 1))
  name=${c%%=*}; vars=${c#*=}
  dir="$OUT/$n-$name"
  GATEWAY_ENV=${vars//,/ } TRACE=0 OUT="$dir" WARMUP=${WARMUP:-20s} DURATION=${DURATION:-15s} \
    "$here/profile.sh" "$SCENARIO" > "$dir.log" 2>&1 || { echo "gc.sh: profile.sh failed for $name (see $dir.log)" >&2; continue; }
  # shellcheck disable=SC1090
  ( . "$dir/$SCENARIO/summary.env"
    printf '%-28s %s: cpu %s µs/req, %s req/s, p50 %s µs, p99 %s µs, %s B/req, GCs/1k req %s/%s/%s, pause %s µs/req, RSS %s MiB (peak %s)\n' \
      "$n $name" "$SCENARIO" "$proc_cpu_us_per_req" "$rps" "$p50_us" "$p99_us" "${alloc_bytes_per_req:-?}" \
      "${gen0_per_1k_req:-?}" "${gen1_per_1k_req:-?}" "${gen2_per_1k_req:-?}" "${gc_pause_us_per_req:-?}" \
      "$(( ${gateway_rss_kb:-0} / 1024 ))" "$(( ${gateway_peak_rss_kb:-0} / 1024 ))" ) | tee -a "$OUT/summary.txt"
done
