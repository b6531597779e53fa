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
const perSecond = method => 1e9 / benchmarks.find(b => b.Method === method).Statistics.Mean;
const ourVerify = perSecond('Verify');
const ourSign = perSecond('Sign');

const fmt = n => Math.round(n).toLocaleString('en-US');
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}; ${new Date().toISOString().slice(0, 10)}`);
console.log('');
console.log('| operation | SessionGate (C#) per s | @polkadot/wasm-crypto ' + reference[0].version + ' per s (before / after) | ratio | target |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| verify | ${fmt(ourVerify)} | ${fmt(refVerify)} (${fmt(reference[0].verify_per_sec)} / ${fmt(reference[1].verify_per_sec)}) | ${(ourVerify / refVerify).toFixed(2)}× | ≥ 2.5× |`);
console.log(`| sign | ${fmt(ourSign)} | ${fmt(refSign)} (${fmt(reference[0].sign_per_sec)} / ${fmt(reference[1].sign_per_sec)}) | ${(ourSign / refSign).toFixed(2)}× | ≥ 2× |`);
