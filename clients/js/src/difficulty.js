// The difficulty challenge of docs/protocol.md ("Difficulty challenge"): when the gateway asks for
// difficulty d (GET {pathPrefix}/block → "difficulty", or a 401 difficulty_required), a new header's
// nonce must make
//   SHA-256(pubkey[32] ‖ block_hash[32] ‖ nonce as 8 bytes big-endian)
// start with at least d zero bits. The client expects to try 2^d nonces; the gateway checks one hash.
//
// SHA-256 is written out here (FIPS 180-4) rather than taken from WebCrypto: subtle.digest is one
// promise per hash (about ten times slower for 72-byte inputs), and the 72 bytes are two blocks of
// which the first (pubkey ‖ block_hash) never changes, so its compression is done once and each
// nonce costs one compression. test/difficulty.test.js checks it against node:crypto.
import { fromHex } from './hex.js';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const TWO_32 = 2 ** 32;

/** Highest difficulty a gateway may ask for (its SessionGate:Difficulty:Bits is at most 32). */
export const MAX_DIFFICULTY = 64;

/** The nonce search ran out of time (maxSolveMs) before finding a nonce. */
export class DifficultyError extends Error {
  /** @param {string} message @param {{ difficulty: number, hashes: number }} details */
  constructor(message, { difficulty, hashes }) {
    super(message);
    this.name = 'DifficultyError';
    this.difficulty = difficulty;
    this.hashes = hashes;
  }
}

// One SHA-256 compression of the 16 words in w (w is extended in place to 64) onto state.
function compress(state, w, out) {
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15], b = w[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  out[0] = (state[0] + a) | 0; out[1] = (state[1] + b) | 0; out[2] = (state[2] + c) | 0; out[3] = (state[3] + d) | 0;
  out[4] = (state[4] + e) | 0; out[5] = (state[5] + f) | 0; out[6] = (state[6] + g) | 0; out[7] = (state[7] + h) | 0;
}

function toBytes(value, length, name) {
  if (value instanceof Uint8Array) {
    if (value.length !== length) throw new TypeError(`${name} must be ${length} bytes`);
    return value;
  }
  try {
    return fromHex(value, length);
  } catch {
    throw new TypeError(`${name} must be ${length} bytes of hex`);
  }
}

function checkNonce(nonce) {
  // The gateway reads an unsigned 64-bit nonce; in JavaScript only safe integers are exact.
  if (!Number.isSafeInteger(nonce) || nonce < 0) throw new TypeError('nonce must be a non-negative safe integer');
}

/**
 * Hashes one nonce after another for one key and block: the first block's compression is shared.
 * @param {Uint8Array | string} publicKey 32 bytes (or hex)
 * @param {Uint8Array | string} blockHash 32 bytes (or hex, as /block sends it)
 */
function challenge(publicKey, blockHash) {
  const key = toBytes(publicKey, 32, 'publicKey');
  const block = toBytes(blockHash, 32, 'blockHash');
  const first = new Uint8Array(64);
  first.set(key, 0);
  first.set(block, 32);
  const view = new DataView(first.buffer);
  const w = new Int32Array(64);
  for (let i = 0; i < 16; i++) w[i] = view.getInt32(4 * i);
  const midstate = new Int32Array(8);
  compress(Int32Array.from(IV), w, midstate);
  w.fill(0);
  const digest = new Int32Array(8);
  return {
    /** @param {number} nonce @returns {Int32Array} the digest as eight big-endian words (reused) */
    hash(nonce) {
      // w[3..14] stay 0; compress overwrites only w[16..63].
      w[0] = Math.floor(nonce / TWO_32) | 0;
      w[1] = nonce >>> 0;
      w[2] = 0x80000000 | 0;   // padding: a 1 bit after the 72 bytes …
      w[15] = 72 * 8;           // … and the message length in bits
      compress(midstate, w, digest);
      return digest;
    },
  };
}

function wordZeros(words) {
  let bits = 0;
  for (const word of words) {
    if (word !== 0) return bits + Math.clz32(word);
    bits += 32;
  }
  return bits;
}

/**
 * The difficulty a gateway answer names: /block's body, or a 401 difficulty_required problem
 * (`difficulty` member). Null when the answer names none (a problem with another code).
 * @param {any} answer a parsed JSON body
 * @returns {number | null}
 */
export function difficultyRequiredBy(answer) {
  if (answer === null || typeof answer !== 'object') return null;
  if (answer.code !== undefined && answer.code !== 'difficulty_required') return null;
  const d = answer.difficulty;
  if (Number.isInteger(d) && d >= 0) return Math.min(d, MAX_DIFFICULTY);
  return answer.code === 'difficulty_required' ? 1 : null;
}

/**
 * Leading zero bits of a digest, most significant bit of byte 0 first.
 * @param {Uint8Array} digest
 * @returns {number}
 */
export function leadingZeroBits(digest) {
  let bits = 0;
  for (const byte of digest) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

/**
 * SHA-256(pubkey ‖ block_hash ‖ nonce as 8 bytes big-endian).
 * @param {{ publicKey: Uint8Array | string, blockHash: Uint8Array | string, nonce: number }} fields
 * @returns {Uint8Array} the 32-byte digest
 */
export function challengeDigest({ publicKey, blockHash, nonce }) {
  checkNonce(nonce);
  const words = challenge(publicKey, blockHash).hash(nonce);
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) view.setInt32(4 * i, words[i]);
  return out;
}

/**
 * True when the nonce meets the difficulty (always for 0).
 * @param {{ publicKey: Uint8Array | string, blockHash: Uint8Array | string, nonce: number, difficulty: number }} fields
 */
export function meetsDifficulty({ publicKey, blockHash, nonce, difficulty }) {
  checkNonce(nonce);
  return difficulty <= 0 || wordZeros(challenge(publicKey, blockHash).hash(nonce)) >= difficulty;
}

/**
 * @typedef {object} DifficultyProgress
 * @property {number} difficulty leading zero bits asked for
 * @property {number} hashes nonces tried so far
 * @property {number} expectedHashes 2^difficulty
 * @property {number} elapsedMs time spent so far
 * @property {boolean} solved true in the last report of a search that found a nonce
 */

/**
 * Finds the first nonce (0, 1, 2, …) meeting the difficulty. Works in slices of about 16 ms and
 * yields to the event loop between them, so a page stays responsive; reports progress after each.
 * @param {object} options
 * @param {Uint8Array | string} options.publicKey the session key (32 bytes or hex)
 * @param {Uint8Array | string} options.blockHash the block hash (32 bytes or hex)
 * @param {number} options.difficulty leading zero bits, 0 to 64
 * @param {number} [options.maxSolveMs] give up after this long (default 10 s): DifficultyError
 * @param {(progress: DifficultyProgress) => void} [options.onProgress]
 * @param {AbortSignal} [options.signal] aborts the search (rejects with the signal's reason)
 * @param {() => number} [options.now] clock in milliseconds (default performance.now)
 * @returns {Promise<number>} the nonce
 */
export async function solveDifficulty({
  publicKey, blockHash, difficulty, maxSolveMs = 10_000, onProgress, signal, now = () => performance.now(),
}) {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > MAX_DIFFICULTY) throw new RangeError(`difficulty must be an integer from 0 to ${MAX_DIFFICULTY}`);
  if (!(maxSolveMs > 0)) throw new RangeError('maxSolveMs must be positive');
  if (difficulty === 0) return 0;
  const search = challenge(publicKey, blockHash);
  const started = now();
  const report = (hashes, solved) => onProgress?.({ difficulty, hashes, expectedHashes: 2 ** difficulty, elapsedMs: now() - started, solved });
  let nonce = 0;
  for (;;) {
    signal?.throwIfAborted();
    const sliceEnd = now() + 16;
    do {
      for (const stop = nonce + 1024; nonce < stop; nonce++) {
        if (wordZeros(search.hash(nonce)) >= difficulty) {
          report(nonce + 1, true);
          return nonce;
        }
      }
    } while (now() < sliceEnd);
    report(nonce, false);
    if (now() - started >= maxSolveMs) {
      throw new DifficultyError(`no nonce of difficulty ${difficulty} (about 2^${difficulty} hashes) found within ${maxSolveMs} ms`, { difficulty, hashes: nonce });
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
