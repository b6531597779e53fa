import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPublicKey, secretFromSeed, sign, verify } from '@scure/sr25519';
import { buildHeader, fromHex, signedMessage, toHex } from '../src/index.js';
import * as v from './vectors.js';

const seedSigner = (seedHex) => {
  const secret = secretFromSeed(fromHex(seedHex, 32));
  return { publicKey: toHex(getPublicKey(secret)), sign: (message) => sign(secret, message) };
};

test('the signed message is the 147 bytes of the worked example', () => {
  const bytes = signedMessage({ account: v.account, blockHash: v.blockHash, nonce: 0 });
  assert.equal(bytes.length, 147);
  assert.equal(new TextDecoder().decode(bytes), v.message);
});

test('the worked example\'s seed gives its public key, and its signature verifies over our message', () => {
  assert.equal(seedSigner(v.seedHex).publicKey, v.publicKeyHex);
  const documented = JSON.parse(v.header);
  assert.ok(verify(signedMessage({ account: v.account, blockHash: v.blockHash }), fromHex(documented.signature, 64), fromHex(v.publicKeyHex, 32)));
});

test('buildHeader writes the five fields in protocol order with a signature that verifies', async () => {
  const value = await buildHeader(seedSigner(v.seedHex), { account: v.account, blockHash: v.blockHash });
  const parsed = JSON.parse(value);
  assert.deepEqual(Object.keys(parsed), ['pubkey', 'account', 'block_hash', 'nonce', 'signature']);
  // Everything but the (randomized) signature is byte-for-byte the documented header.
  assert.equal(value.replace(/"signature":"0x[0-9a-f]{128}"/, ''), v.header.replace(/"signature":"0x[0-9a-f]{128}"/, ''));
  assert.ok(verify(new TextEncoder().encode(v.message), fromHex(parsed.signature, 64), fromHex(v.publicKeyHex, 32)));
  assert.ok(value.length < 2048);
});

test('the block hash and account are signed exactly as given (case kept)', async () => {
  const lower = v.blockHash.toLowerCase();
  const value = JSON.parse(await buildHeader(seedSigner(v.seedHex), { account: v.account, blockHash: '0x' + lower, nonce: 7 }));
  assert.equal(value.block_hash, '0x' + lower);
  assert.equal(value.nonce, 7);
  const message = new TextEncoder().encode(`{"account":"${v.account}","block_hash":"0x${lower}","nonce":7}`);
  assert.ok(verify(message, fromHex(value.signature, 64), fromHex(v.publicKeyHex, 32)));
  // And not over the other spelling: the gateway would refuse it.
  assert.ok(!verify(new TextEncoder().encode(v.message), fromHex(value.signature, 64), fromHex(v.publicKeyHex, 32)));
});

test('bad fields are refused before signing', () => {
  assert.throws(() => signedMessage({ account: 'not-bech32', blockHash: v.blockHash }), TypeError);
  assert.throws(() => signedMessage({ account: v.account, blockHash: 'abc' }), TypeError);
  assert.throws(() => signedMessage({ account: v.account, blockHash: v.blockHash, nonce: -1 }), TypeError);
  assert.throws(() => signedMessage({ account: v.account, blockHash: v.blockHash, nonce: 1.5 }), TypeError);
  assert.throws(() => signedMessage({ account: v.account, blockHash: v.blockHash, nonce: 2 ** 53 }), TypeError);
});

test('hex round trip and length checks', () => {
  assert.equal(toHex(fromHex('0XAbCd')), '0xabcd');
  assert.throws(() => fromHex('0xabc'), TypeError);
  assert.throws(() => fromHex('zz'), TypeError);
  assert.throws(() => fromHex('abcd', 3), TypeError);
});
