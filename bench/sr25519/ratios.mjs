// Reads the outputs of bench/sr25519/run.sh and prints throughput and ratios as Markdown.
// usage: node bench/sr25519/ratios.mjs OUT_DIR
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

const dir = process.argv[2];
const reference = ['reference-before.jsonl', 'reference-after.jsonl']
  .map(f => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map(JSON.parse)
    .find(r => r.impl === '@polkadot/wasm-crypto'));
const refVerify = (reference[0].verify_per_sec + reference[1].verify_per_sec) / 2;
const refSign = (reference[0].sign_per_sec + reference[1].sign_per_sec) / 2;

const resultsDir = join(dir, 'bdn', 'results');
const report = readdirSync(resultsDir).find(f => f.endsWith('.json'));
const benchmarks = JSON.parse(readFileSync(join(resultsDir, report), 'utf8')).Benchmarks;
// BenchmarkDotNet's Mean is per operation (OperationsPerInvoke already divided out).
const perSecond = method => 1e9 / benchmarks.find(b => b.Method === method).Statistics.Mean;
const cli = JSON.parse(readFileSync(join(dir, 'batch-cli.json'), 'utf8'));

let model = os.cpus()[0].model;
try {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const field = name => (info.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm')) || [])[1];
  model += ` (family ${field('cpu family')}, model ${field('model')})`;
} catch { /* not Linux */ }

const fmt = n => Math.round(n).toLocaleString('en-US');
const refCell = (avg, key) => `${fmt(avg)} (${fmt(reference[0][key])} / ${fmt(reference[1][key])})`;
const row = (name, ours, avg, key, target) =>
  console.log(`| ${name} | ${fmt(ours)} | ${refCell(avg, key)} | ${(ours / avg).toFixed(2)}× | ${target} |`);
console.log(`machine: ${model}, ${os.cpus().length} cores; node ${process.version}; ${new Date().toISOString().slice(0, 10)}`);
console.log('');
console.log('| operation | SessionGate (C#) per s | @polkadot/wasm-crypto ' + reference[0].version + ' per s (before / after) | ratio | target |');
console.log('|---|---:|---:|---:|---:|');
row('verify (cached key)', perSecond('Verify'), refVerify, 'verify_per_sec', '≥ 2.5×');
row('verify (key decoded each time)', perSecond('VerifyFreshKey'), refVerify, 'verify_per_sec', '≥ 2.5×');
row('verify, batch of 64, per signature', perSecond('VerifyBatch64'), refVerify, 'verify_per_sec', '≥ 5×');
row('sign', perSecond('Sign'), refSign, 'sign_per_sec', '≥ 2.5×');
console.log('');
console.log(`| verify --batch, ${cli.lines} lines, whole process (best of 3) | SessionGate | reference loop | ratio | target |`);
console.log('|---|---:|---:|---:|---:|');
console.log(`| wall clock | ${cli.sessiongate_ms} ms | ${cli.reference_ms} ms | ${(cli.reference_ms / cli.sessiongate_ms).toFixed(2)}× | ≥ 2.5× |`);
