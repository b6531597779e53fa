#!/usr/bin/env node
// Verifies sr25519 signatures with the reference implementation.
//
// usage: node verify-with-reference.mjs [--scure] FILE|-
//
// FILE holds JSON lines (blank lines are ignored):
//   {"public_key":"<hex>","message":"<hex>","signature":"<hex>","context":"substrate"}
// Hex may carry a 0x prefix and may be upper-case. "context" may be omitted
// (it defaults to "substrate"); any other context is a usage error, because
// @polkadot/wasm-crypto only signs/verifies under the "substrate" context.
//
// Prints one line per input, in order: "valid" or "invalid".
// Exit status: 0 = all valid, 1 = at least one invalid, 2 = usage / input error,
// including an input without any line (nothing is printed on stdout in that case;
// the reason goes to stderr).
//
// --scure uses @scure/sr25519 instead of @polkadot/wasm-crypto. scure throws on
// malformed input (wrong lengths, bad encodings, missing marker); such inputs are
// reported as "invalid". Note scure rejects the all-zero (identity) public key,
// which the reference accepts for signatures with R = s·B.

import { readFileSync } from 'node:fs';
import { fromHex } from './lib/common.mjs';
import { initWasm, scureVerify, wasmVerify } from './lib/sr25519.mjs';

function usage(msg) {
  if (msg) console.error(`verify-with-reference: ${msg}`);
  console.error('usage: node verify-with-reference.mjs [--scure] FILE|-');
  process.exit(2);
}

const args = process.argv.slice(2);
let useScure = false;
const files = [];
for (const a of args) {
  if (a === '--scure') useScure = true;
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else files.push(a);
}
if (files.length !== 1) usage('exactly one FILE (or - for stdin) is required');

let text;
try {
  text = readFileSync(files[0] === '-' ? 0 : files[0], 'utf8');
} catch (e) {
  usage(`cannot read ${files[0]}: ${e.message}`);
}

// parse and validate everything before printing anything
const inputs = [];
text.split(/\r?\n/).forEach((line, idx) => {
  const lineNo = idx + 1;
  if (line.trim() === '') return;
  let obj;
  try {
    obj = JSON.parse(line);
  } catch (e) {
    usage(`line ${lineNo}: not valid JSON (${e.message})`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) usage(`line ${lineNo}: expected a JSON object`);
  const context = obj.context ?? 'substrate';
  if (context !== 'substrate') {
    usage(`line ${lineNo}: unsupported context ${JSON.stringify(context)}; the reference (@polkadot/wasm-crypto sr25519Verify) only verifies under "substrate"`);
  }
  const field = (name) => {
    if (typeof obj[name] !== 'string') usage(`line ${lineNo}: "${name}" must be a hex string`);
    try {
      return fromHex(obj[name]);
    } catch (e) {
      usage(`line ${lineNo}: "${name}": ${e.message}`);
    }
  };
  inputs.push({ publicKey: field('public_key'), message: field('message'), signature: field('signature') });
});

if (inputs.length === 0) usage('no input lines');

if (!useScure) await initWasm();

let allValid = true;
const out = [];
for (const { publicKey, message, signature } of inputs) {
  const ok = useScure
    ? scureVerify(signature, message, publicKey).ok === true
    : wasmVerify(signature, message, publicKey).ok;
  if (!ok) allValid = false;
  out.push(ok ? 'valid' : 'invalid');
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
process.exitCode = allValid ? 0 : 1;
