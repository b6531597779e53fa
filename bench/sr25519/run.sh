#!/usr/bin/env bash
# sr25519 single-thread throughput: SessionGate's C# (BenchmarkDotNet) against the reference,
# @polkadot/wasm-crypto (schnorrkel compiled to wasm, run by Node.js), measured in the same run on
# the same machine. The reference is measured before and after the C# run and averaged, so drift
# of a noisy machine shows up in both. Prints a Markdown table with the ratios.
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
  --filter '*Sr25519Benchmarks*' --exporters json --artifacts "$out/bdn" >&2

echo "== reference (after)" >&2
node tools/sr25519-vectors/bench-reference.mjs --seconds "$seconds" > "$out/reference-after.jsonl"

node bench/sr25519/ratios.mjs "$out"
