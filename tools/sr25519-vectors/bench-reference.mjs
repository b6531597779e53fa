#!/usr/bin/env node
// Single-thread throughput of the reference sr25519 (and, for information, scure).
//
// usage: node bench-reference.mjs [--seconds N]     (default 5 s per measurement)
//
// Prints two JSON lines:
//   {"impl":"@polkadot/wasm-crypto","version":…,"verify_per_sec":…,"sign_per_sec":…,"node":"v…",…}
//   {"impl":"@scure/sr25519",…}
// Fixed key (mini secret 0x01..0x20) and a fixed 100-byte message (byte i = 7i+3). Each operation
// is warmed up first, then run in a tight loop for N seconds of wall-clock time.

import { performance } from 'node:perf_hooks';
import { installedVersion } from './lib/common.mjs';
import { initWasm, scure, sr25519KeypairFromSeed, sr25519Sign, sr25519Verify } from './lib/sr25519.mjs';

let seconds = 5;
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seconds' && i + 1 < argv.length) {
      seconds = Number(argv[++i]);
      if (!(seconds > 0 && Number.isFinite(seconds))) {
        console.error('bench-reference: --seconds must be a positive number');
        process.exit(2);
      }
    } else {
      console.error('usage: node bench-reference.mjs [--seconds N]');
      process.exit(2);
    }
  }
}

await initWasm();

const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const kp = sr25519KeypairFromSeed(seed);
const secret = kp.slice(0, 64);
const pub = kp.slice(64);
const message = Uint8Array.from({ length: 100 }, (_, i) => (i * 7 + 3) & 0xff);
if (message.length !== 100) throw new Error('message must be 100 bytes');

/** ops/sec of fn over `secs` seconds (checks the clock every 16 calls). */
function measure(fn, secs) {
  let n = 0;
  const start = performance.now();
  const deadline = start + secs * 1000;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

function bench(impl, version, sign, verify) {
  const sig = sign();
  if (!verify(sig)) throw new Error(`${impl}: self-verification failed`);
  const warm = Math.min(1, seconds / 5);
  measure(() => verify(sig), warm);
  const verifyPerSec = measure(() => verify(sig), seconds);
  measure(sign, warm);
  const signPerSec = measure(sign, seconds);
  return {
    impl,
    version,
    verify_per_sec: Math.round(verifyPerSec),
    sign_per_sec: Math.round(signPerSec),
    node: process.version,
    seconds_per_measurement: seconds,
    message_bytes: message.length,
  };
}

const ref = bench(
  '@polkadot/wasm-crypto',
  installedVersion('@polkadot/wasm-crypto'),
  () => sr25519Sign(pub, secret, message),
  (sig) => sr25519Verify(sig, message, pub),
);
console.log(JSON.stringify(ref));

const scureSecret = scure.secretFromSeed(seed);
const sc = bench(
  '@scure/sr25519',
  installedVersion('@scure/sr25519'),
  () => scure.sign(scureSecret, message),
  (sig) => scure.verify(message, sig, pub),
);
console.log(JSON.stringify(sc));
