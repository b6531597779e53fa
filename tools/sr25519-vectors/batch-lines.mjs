#!/usr/bin/env node
// The `verify --batch` comparison of bench/sr25519/run.sh: the same JSON-lines file checked by
// `sessiongate verify --batch` and by this script's loop over the reference, whole process each.
//
// usage: node batch-lines.mjs --generate N FILE   writes N lines {"public_key","message","signature"},
//                                                 each signed by @polkadot/wasm-crypto with its own key
//                                                 (seed = line index), a 100-byte message
//        node batch-lines.mjs --verify FILE       the reference's loop: verifies each line with
//                                                 @polkadot/wasm-crypto, prints valid/invalid, exit 1 if any is invalid
import { readFileSync, writeFileSync } from 'node:fs';
import { initWasm, sr25519KeypairFromSeed, sr25519Sign, sr25519Verify } from './lib/sr25519.mjs';

const [mode, a, b] = process.argv.slice(2);
const fromHex = h => Uint8Array.from(Buffer.from(h.replace(/^0x/, ''), 'hex'));
const toHex = u => Buffer.from(u).toString('hex');

await initWasm();
if (mode === '--generate' && Number(a) > 0 && b) {
  const lines = [];
  for (let i = 0; i < Number(a); i++) {
    const seed = new Uint8Array(32);
    new DataView(seed.buffer).setUint32(0, i + 1, true);
    const kp = sr25519KeypairFromSeed(seed);
    const message = Uint8Array.from({ length: 100 }, (_, j) => (i * 31 + j * 7 + 3) & 0xff);
    const signature = sr25519Sign(kp.slice(64), kp.slice(0, 64), message);
    lines.push(JSON.stringify({ public_key: '0x' + toHex(kp.slice(64)), message: toHex(message), signature: '0x' + toHex(signature) }));
  }
  writeFileSync(b, lines.join('\n') + '\n');
} else if (mode === '--verify' && a) {
  let allValid = true;
  const out = [];
  for (const line of readFileSync(a, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line);
    const valid = sr25519Verify(fromHex(e.signature), fromHex(e.message), fromHex(e.public_key));
    allValid &&= valid;
    out.push(valid ? 'valid' : 'invalid');
  }
  process.stdout.write(out.join('\n') + '\n');
  process.exit(allValid ? 0 : 1);
} else {
  console.error('usage: node batch-lines.mjs --generate N FILE | --verify FILE');
  process.exit(2);
}
