// Thin wrappers around the two sr25519 implementations.
//
//   @polkadot/wasm-crypto (schnorrkel in wasm, THE reference):
//     sr25519KeypairFromSeed(seed: 32 bytes) -> 96 bytes  (secret 64, ed25519 format || public 32)
//     sr25519Sign(pubkey: 32, secret: 64 (ed25519 format), message) -> 64-byte signature
//     sr25519Verify(signature, message, pubkey) -> boolean
//   @scure/sr25519:
//     secretFromSeed(seed: 32) -> 64-byte secret (ed25519 format: 8*scalar || nonce)
//     getPublicKey(secret: 64) -> 32
//     sign(secret: 64, message, random: 32 = randomBytes(32)) -> 64
//     verify(message, signature, publicKey) -> boolean (throws on malformed input)

import {
  bridge,
  sr25519KeypairFromSeed,
  sr25519Sign,
  sr25519Verify,
  waitReady,
} from '@polkadot/wasm-crypto';
import { createWasm } from '@polkadot/wasm-crypto-init';
import * as scure from '@scure/sr25519';
import { ristretto255 } from '@noble/curves/ed25519.js';
import {
  L,
  bigIntToLe,
  bytesEqual,
  chacha20Keystream,
  leToBigInt,
  toHex,
  utf8,
} from './common.mjs';

export { scure, sr25519KeypairFromSeed, sr25519Sign, sr25519Verify };

export const Point = ristretto255.Point;

// The wasm module gets its system randomness through one wasm-bindgen import,
// which @polkadot/wasm-bridge forwards to crypto.getRandomValues. When a DRBG is
// given, initWasm() swaps that single import for one that fills the requested
// buffer from the DRBG and logs every draw, so the reference's signing RNG becomes
// reproducible. Nothing else in the process (e.g. @noble/curves, which probes
// crypto.getRandomValues itself) is affected.
const WASM_ENTROPY_IMPORT = '__wbg_getRandomValues_f5e14ab7ac8e995d';
const entropyLog = [];

export async function initWasm({ entropyDrbg = null } = {}) {
  if (entropyDrbg) {
    if (bridge.wasm) throw new Error('wasm already initialised; cannot install the entropy hook');
    await bridge.init((wbg) => {
      if (typeof wbg[WASM_ENTROPY_IMPORT] !== 'function') {
        throw new Error(`wasm import ${WASM_ENTROPY_IMPORT} not found: @polkadot/wasm-bridge changed`);
      }
      return createWasm({
        ...wbg,
        [WASM_ENTROPY_IMPORT]: (_cryptoHandle, ptr, len) => {
          const bytes = entropyDrbg.bytes(len);
          bridge.getU8a(ptr, len).set(bytes);
          entropyLog.push(bytes);
        },
      });
    });
  }
  await waitReady();
  if (bridge.type !== 'wasm') {
    throw new Error(`@polkadot/wasm-crypto initialised as '${bridge.type}', expected 'wasm'`);
  }
}

const entropyCallCount = () => entropyLog.length;
const entropyCall = (i) => entropyLog[i];

/** Reference verification. Returns { ok, error } — error is set if wasm threw. */
export function wasmVerify(signature, message, publicKey) {
  try {
    return { ok: sr25519Verify(signature, message, publicKey) === true, error: null };
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e) };
  }
}

/** scure verification. ok is null if scure threw (error carries the message). */
export function scureVerify(signature, message, publicKey) {
  try {
    return { ok: scure.verify(message, signature, publicKey) === true, error: null };
  } catch (e) {
    return { ok: null, error: String(e?.message ?? e) };
  }
}

/** true if the bytes are a canonical ristretto255 encoding (per @noble/curves). */
export function isValidRistretto(bytes) {
  if (bytes.length !== 32) return false;
  try {
    Point.fromBytes(bytes);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Deterministic wasm signing.
//
// The wasm build's schnorrkel takes its 32 "random" bytes for the Merlin
// transcript RNG (TranscriptRngBuilder::finalize) from a ChaCha20 thread RNG that
// is seeded once with 32 bytes from crypto.getRandomValues. With the entropy hook
// from common.mjs installed, we know that seed, hence the exact 32 bytes each
// signature consumed. Every call is cross-checked: @scure/sr25519 given the same
// 32 bytes must produce the identical signature, otherwise we abort.

export class WasmSigner {
  #key = null;
  #offset = 0;
  #seenCalls = 0;
  count = 0;

  /** returns { signature, random } — random = the transcript-RNG input schnorrkel used */
  sign(publicKey, secretEd25519, message) {
    const before = entropyCallCount();
    if (before !== this.#seenCalls) {
      throw new Error('entropy was drawn outside WasmSigner; RNG model is out of sync');
    }
    const signature = sr25519Sign(publicKey, secretEd25519, message);
    const after = entropyCallCount();
    if (after !== before) {
      if (after - before !== 1 || entropyCall(before).length !== 32) {
        throw new Error(`unexpected wasm entropy draw pattern (${after - before} calls)`);
      }
      // (re)seed: the thread RNG restarts its ChaCha20 keystream from a new key
      this.#key = entropyCall(before);
      this.#offset = 0;
      this.#seenCalls = after;
    }
    if (!this.#key) throw new Error('wasm signed without drawing entropy: hook not installed?');
    const random = chacha20Keystream(this.#key, this.#offset, 32);
    this.#offset += 32;
    this.count += 1;
    const check = scure.sign(secretEd25519, message, random);
    if (!bytesEqual(check, signature)) {
      throw new Error(
        `RNG model mismatch: wasm signature ${toHex(signature)} != scure(random=${toHex(random)}) ${toHex(check)}`,
      );
    }
    return { signature, random };
  }
}

// ---------------------------------------------------------------------------
// Signing with an arbitrary signing context, built from @scure/sr25519's own
// Merlin/SigningContext (exported as __tests). Used only to produce signatures
// for a *different* context, which the substrate-only reference must reject.
// Verified below to coincide with scure.sign when ctx = "substrate".

const { SigningContext } = scure.__tests;

function decodeEd25519Scalar(secret) {
  return leToBigInt(secret.subarray(0, 32)) >> 3n;
}

export function signWithContext(secretEd25519, message, ctx, random) {
  const t = new SigningContext('SigningContext');
  t.label(typeof ctx === 'string' ? utf8(ctx) : ctx);
  t.bytes(message);
  const key = decodeEd25519Scalar(secretEd25519);
  const nonce = secretEd25519.subarray(32, 64);
  const A = Point.BASE.multiply(key);
  t.protoName('Schnorr-sig');
  t.commitPoint('sign:pk', A);
  const r = t.witnessScalar('signing', random, [nonce]);
  const R = Point.BASE.multiply(r);
  t.commitPoint('sign:R', R);
  const k = t.challengeScalar('sign:c');
  const s = (k * key + r) % L;
  const sig = new Uint8Array(64);
  sig.set(R.toBytes(), 0);
  sig.set(bigIntToLe(s, 32), 32);
  sig[63] |= 0x80;
  return sig;
}

/** Self-check: signWithContext(..., "substrate") must equal scure.sign. */
export function selfTestSignWithContext(secretEd25519, message, random) {
  const a = signWithContext(secretEd25519, message, 'substrate', random);
  const b = scure.sign(secretEd25519, message, random);
  if (!bytesEqual(a, b)) throw new Error('signWithContext self-test failed');
}

/** The substrate challenge k (and its 64 wide bytes) for (pk, msg, R), via scure's Merlin. */
export function substrateChallenge(publicKey, message, Rbytes) {
  const t = new SigningContext('SigningContext');
  t.label(utf8('substrate'));
  t.bytes(message);
  t.protoName('Schnorr-sig');
  t.appendMessage('sign:pk', publicKey);
  t.appendMessage('sign:R', Rbytes);
  const wide = t.challengeBytes('sign:c', 64);
  return { wide, k: leToBigInt(wide) % L };
}
