// Shared helpers for the sr25519 vector tooling.
//
// Everything here is test tooling: it drives the reference implementations
// (@polkadot/wasm-crypto = schnorrkel compiled to wasm, and @scure/sr25519)
// and never ships in the product.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

// ---------------------------------------------------------------------------
// hex / bytes

export function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses hex (optional 0x prefix, either case). Throws on malformed input. */
export function fromHex(str) {
  if (typeof str !== 'string') throw new TypeError('hex string expected');
  let s = str;
  if (s.startsWith('0x') || s.startsWith('0X')) s = s.slice(2);
  if (s.length % 2 !== 0) throw new Error(`odd-length hex (${s.length} digits)`);
  if (!/^[0-9a-fA-F]*$/.test(s)) throw new Error('non-hex character');
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const utf8 = (s) => new Uint8Array(Buffer.from(s, 'utf8'));

export function leToBigInt(bytes) {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  return x;
}

export function bigIntToLe(x, len) {
  if (x < 0n) throw new RangeError('negative');
  const out = new Uint8Array(len);
  let v = x;
  for (let i = 0; i < len; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`value does not fit in ${len} bytes`);
  return out;
}

// ---------------------------------------------------------------------------
// constants

/** ristretto255 / ed25519 group order ℓ = 2^252 + 27742317777372353535851937790883648493 */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** field prime p = 2^255 - 19 */
export const P = 2n ** 255n - 19n;

// ---------------------------------------------------------------------------
// Deterministic byte source: counter-mode SHA-256.
//   block_i = SHA-256( "sessiongate-sr25519-vectors/v1" || 0x00 || label || 0x00 || LE64(i) )
// Each named stream is independent, so adding vectors to one section does not
// shift the bytes drawn by another.

const DRBG_DOMAIN = 'sessiongate-sr25519-vectors/v1';

export class Drbg {
  constructor(label) {
    this.label = label;
    this.counter = 0n;
    this.buf = new Uint8Array(0);
  }

  #block() {
    const ctr = Buffer.alloc(8);
    ctr.writeBigUInt64LE(this.counter);
    this.counter += 1n;
    return new Uint8Array(
      createHash('sha256')
        .update(DRBG_DOMAIN)
        .update(Buffer.from([0]))
        .update(this.label)
        .update(Buffer.from([0]))
        .update(ctr)
        .digest(),
    );
  }

  bytes(n) {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      if (this.buf.length === 0) this.buf = this.#block();
      const take = Math.min(this.buf.length, n - o);
      out.set(this.buf.subarray(0, take), o);
      this.buf = this.buf.subarray(take);
      o += take;
    }
    return out;
  }

  /** uniform integer in [0, n) for small n (rejection sampling on 32 bits) */
  int(n) {
    if (!(n > 0 && n <= 2 ** 32)) throw new RangeError('bad bound');
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const b = this.bytes(4);
      const v = ((b[0] | (b[1] << 8) | (b[2] << 16)) >>> 0) + b[3] * 2 ** 24;
      if (v < limit) return v % n;
    }
  }
}

// ---------------------------------------------------------------------------
// ChaCha20 block function (RFC 8439 state layout with a zero nonce), used only to
// model the thread RNG inside the wasm build of schnorrkel: it seeds a ChaCha20
// generator with 32 bytes from crypto.getRandomValues and then hands 32 bytes of
// keystream to merlin's TranscriptRngBuilder::finalize for every signature.

function chachaBlock(key, counter, rounds = 20) {
  const k = new Uint32Array(8);
  const dv = new DataView(key.buffer, key.byteOffset, 32);
  for (let i = 0; i < 8; i++) k[i] = dv.getUint32(4 * i, true);
  const st = new Uint32Array([
    0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
    ...k,
    counter >>> 0, Math.floor(counter / 2 ** 32) >>> 0, 0, 0,
  ]);
  const x = st.slice();
  const rotl = (v, c) => (v << c) | (v >>> (32 - c));
  const qr = (a, b, c, d) => {
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
  };
  for (let i = 0; i < rounds; i += 2) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  const out = new Uint8Array(64);
  const odv = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) odv.setUint32(4 * i, (x[i] + st[i]) >>> 0, true);
  return out;
}

/** `len` bytes of ChaCha20 keystream (key, zero nonce) starting at byte `offset`. */
export function chacha20Keystream(key, offset, len) {
  const out = new Uint8Array(len);
  let o = 0;
  let pos = offset;
  while (o < len) {
    const blk = chachaBlock(key, Math.floor(pos / 64));
    const within = pos % 64;
    const take = Math.min(64 - within, len - o);
    out.set(blk.subarray(within, within + take), o);
    o += take;
    pos += take;
  }
  return out;
}

// ---------------------------------------------------------------------------
// package versions (read from the installed package.json files)

export function installedVersion(pkg) {
  const p = join(TOOL_DIR, 'node_modules', ...pkg.split('/'), 'package.json');
  return JSON.parse(readFileSync(p, 'utf8')).version;
}
