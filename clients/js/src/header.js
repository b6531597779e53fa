// The kira_session header of docs/protocol.md:
//   {"pubkey":"0x…","account":"kira1…","block_hash":"…","nonce":0,"signature":"0x…"}
// signed (sr25519, context "substrate") over exactly
//   {"account":"<as sent>","block_hash":"<as sent>","nonce":<decimal>}
import { toHex } from './hex.js';

const BLOCK_HASH = /^(0x)?[0-9a-fA-F]{64}$/;

// bech32: a human-readable part, "1", then data characters; all lower or all upper case. The
// gateway checks the checksum and the prefix; this only keeps obvious mistakes out of a signature.
const ACCOUNT = /^([a-z0-9]{1,83}1[02-9ac-hj-np-z]{6,}|[A-Z0-9]{1,83}1[02-9AC-HJ-NP-Z]{6,})$/;

/**
 * The exact UTF-8 bytes a header's signature covers.
 * @param {{ account: string, blockHash: string, nonce?: number }} fields
 * @returns {Uint8Array}
 */
export function signedMessage({ account, blockHash, nonce = 0 }) {
  checkFields(account, blockHash, nonce);
  // Key order and spacing are part of the protocol: JSON.stringify keeps insertion order, adds no spaces.
  return new TextEncoder().encode(JSON.stringify({ account, block_hash: blockHash, nonce }));
}

/**
 * Builds a header value: signs the message with `signer` and serializes the five fields.
 * @param {{ publicKey: string, sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array }} signer
 * @param {{ account: string, blockHash: string, nonce?: number }} fields
 * @returns {Promise<string>} the header value (JSON, under 2 KiB)
 */
export async function buildHeader(signer, { account, blockHash, nonce = 0 }) {
  const signature = await signer.sign(signedMessage({ account, blockHash, nonce }));
  if (!(signature instanceof Uint8Array) || signature.length !== 64) throw new Error('an sr25519 signature is 64 bytes');
  return JSON.stringify({ pubkey: signer.publicKey, account, block_hash: blockHash, nonce, signature: toHex(signature) });
}

/** @param {unknown} hash @returns {hash is string} */
export function isBlockHash(hash) {
  return typeof hash === 'string' && BLOCK_HASH.test(hash);
}

/** @param {unknown} account @returns {account is string} */
export function isAccount(account) {
  return typeof account === 'string' && account.length <= 90 && ACCOUNT.test(account);
}

function checkFields(account, blockHash, nonce) {
  if (!isAccount(account)) throw new TypeError('account must be a bech32 address (kira1…)');
  if (!isBlockHash(blockHash)) throw new TypeError('blockHash must be 64 hex digits');
  // The gateway reads a JSON number as an unsigned 64-bit integer; in JavaScript only safe integers are exact.
  if (!Number.isSafeInteger(nonce) || nonce < 0) throw new TypeError('nonce must be a non-negative safe integer');
}
