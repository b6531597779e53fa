#!/usr/bin/env bash
# sr25519 throughput: SessionGate's C# against the reference, @polkadot/wasm-crypto (schnorrkel
# compiled to wasm, run by Node.js), measured in the same run on the same machine.
#  1. single-thread sign / verify / verify of a batch of 64 (BenchmarkDotNet, ShortRun job) against
#     the reference's single-thread sign and verify (wasm-crypto has no batch verification); the
#     reference is measured before and after the C# run and averaged, so drift shows up in both;
#  2. whole-process `sessiongate verify --batch` on 4,000 JSON lines (4,000 distinct keys) against a
#     Node.js loop over the reference on the same file (tools/sr25519-vectors/batch-lines.mjs),
#     best of three wall-clock runs each.
# Prints a Markdown table with the ratios and the CPU model. Run it under `sg-cpu bench`.
#
# usage: bench/sr25519/run.sh [--seconds N]   (reference seconds per measurement, default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=5
if [ "${1:-}" = "--seconds" ]; then seconds="$2"; fi

out=artifacts/bench/sr25519
rm -rf "$out"
mkdir -p "$out"

if [ ! -d tools/sr25519-vectors/node_modules/@polkadot/wasm-crypto ]; then
  (cd tools/sr25519-vectors && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== reference (before)" >&2
node tools/sr25519-vectors/bench-reference.mjs --seconds "$seconds" > "$out/reference-before.jsonl"

echo "== SessionGate (BenchmarkDotNet)" >&2
dotnet run --configuration Release --project bench/SessionGate.Benchmarks -- \
  --filter '*Sr25519Benchmarks*' --job short --exporters json --artifacts "$out/bdn" >&2

echo "== reference (after)" >&2
node tools/sr25519-vectors/bench-reference.mjs --seconds "$seconds" > "$out/reference-after.jsonl"

echo "== verify --batch, 4,000 lines" >&2
dotnet build --configuration Release src/SessionGate.Proxy >&2
lines="$out/batch-4000.jsonl"
node tools/sr25519-vectors/batch-lines.mjs --generate 4000 "$lines"
best_of_three() {
  local best=
  for _ in 1 2 3; do
    local start end
    start=$(date +%s%N)
    "$@" "$lines" > "$out/batch-output.txt"
    end=$(date +%s%N)
    [ "$(grep -c '^valid$' "$out/batch-output.txt")" = 4000 ] || { echo "not 4000 valid verdicts: $*" >&2; exit 1; }
    local ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
ours=$(best_of_three src/SessionGate.Proxy/bin/Release/net10.0/sessiongate verify --batch)
reference=$(best_of_three node tools/sr25519-vectors/batch-lines.mjs --verify)
echo "{\"lines\":4000,\"sessiongate_ms\":$ours,\"reference_ms\":$reference}" > "$out/batch-cli.json"

node bench/sr25519/ratios.mjs "$out"
