#!/usr/bin/env bash
# Memory under abuse at the issue's full scale: 1,000,000 distinct kira_session headers from 100,000
# distinct client addresses (127.0.0.0/8, one socket bound per address) against the real gateway
# process, reporting its resident memory (VmRSS / VmHWM) before and after. About 2.5 minutes on a
# 2-core machine (139 s measured); CI runs the same test scaled down (100,000 headers, 10,000 addresses).
#
# Usage: bench/abuse/run.sh [headers] [addresses]
set -euo pipefail
cd "$(dirname "$0")/../.."

headers="${1:-1000000}"
addresses="${2:-100000}"

dotnet build tests/SessionGate.IntegrationTests -c Release --nologo -v q
SESSIONGATE_ABUSE_HEADERS="$headers" SESSIONGATE_ABUSE_CLIENTS="$addresses" \
  dotnet test tests/SessionGate.IntegrationTests -c Release --no-build --nologo \
    --filter "FullyQualifiedName~Faults.MemoryAbuseTests" \
    --logger "console;verbosity=detailed" 2>&1 | grep -E "distinct headers|Passed|Failed|peak RSS" 
