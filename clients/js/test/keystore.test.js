import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from '@scure/sr25519';
import { SessionKeyStore, fromHex, memoryStorage } from '../src/index.js';
import * as v from './vectors.js';

const T0 = Date.parse('2026-11-21T10:00:00Z');

/** Random bytes that hand out the worked example's seed first, so the public key is known. */
function seededRandom() {
  let first = true;
  return (length) => {
    if (first && length === 32) { first = false; return fromHex(v.seedHex, 32); }
    return globalThis.crypto.getRandomValues(new Uint8Array(length));
  };
}

const includes = (haystack, needle) => Buffer.from(haystack).includes(Buffer.from(needle));

test('create stores only ciphertext and a non-extractable AES-GCM key', async () => {
  const storage = memoryStorage();
  const store = new SessionKeyStore({ storage, random: seededRandom(), now: () => T0 });
  const key = await store.create({ account: v.account, ttlSeconds: 3600 });

  assert.equal(key.publicKey, v.publicKeyHex);
  assert.equal(key.account, v.account);
  assert.equal(key.expires.toISOString(), '2026-11-21T11:00:00.000Z');
  const record = storage.records.get('current');
  assert.deepEqual(Object.keys(record).sort(), ['account', 'ciphertext', 'created', 'expires', 'iv', 'publicKey', 'version', 'wrappingKey']);
  assert.equal(record.ciphertext.length, 32 + 16, 'seed + GCM tag');
  assert.equal(record.iv.length, 12);
  assert.equal(record.wrappingKey.extractable, false);
  assert.equal(record.wrappingKey.algorithm.name, 'AES-GCM');
  assert.ok(!includes(record.ciphertext, fromHex(v.seedHex)), 'the seed is not stored in clear');
  await assert.rejects(globalThis.crypto.subtle.exportKey('raw', record.wrappingKey));
  // The key object exposes public facts only.
  assert.deepEqual(Object.keys(key), ['publicKey', 'account', 'created', 'expires']);
  assert.ok(!JSON.stringify(key).includes(v.seedHex.slice(2)));
});

test('a stored key signs messages that verify for its public key, after a reload', async () => {
  const storage = memoryStorage();
  await new SessionKeyStore({ storage }).create({ account: v.account });
  const loaded = await new SessionKeyStore({ storage }).load();
  const message = new TextEncoder().encode(v.message);
  const signature = await loaded.sign(message);
  assert.ok(verify(message, signature, fromHex(loaded.publicKey, 32)));
});

test('a record whose public key was swapped does not decrypt', async () => {
  const storage = memoryStorage();
  await new SessionKeyStore({ storage }).create({ account: v.account });
  const record = storage.records.get('current');
  storage.records.set('current', { ...record, publicKey: v.publicKeyHex });
  const key = await new SessionKeyStore({ storage }).load();
  await assert.rejects(key.sign(new Uint8Array(3)));
});

test('create replaces the key, forget deletes it, load without one is null', async () => {
  const storage = memoryStorage();
  const store = new SessionKeyStore({ storage });
  assert.equal(await store.load(), null);
  const first = await store.create({ account: v.account });
  const second = await store.create({ account: v.account });
  assert.notEqual(first.publicKey, second.publicKey);
  assert.equal((await store.load()).publicKey, second.publicKey);
  await store.forget();
  assert.equal(await store.load(), null);
  assert.equal(storage.records.size, 0);
});

test('setExpiry records the granted expiry, only for the stored key', async () => {
  const storage = memoryStorage();
  const store = new SessionKeyStore({ storage });
  const old = await store.create({ account: v.account });
  const key = await store.create({ account: v.account });
  const updated = await store.setExpiry(key, '2027-01-01T00:00:00Z');
  assert.equal(updated.expires.toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal((await store.load()).expires.toISOString(), '2027-01-01T00:00:00.000Z');
  await assert.rejects(store.setExpiry(old, '2027-01-01T00:00:00Z'), /no longer the stored one/);
  await assert.rejects(store.setExpiry(key, 'soon'), TypeError);
});

test('bad accounts and lifetimes are refused', async () => {
  const store = new SessionKeyStore({ storage: memoryStorage() });
  await assert.rejects(store.create({ account: 'bob' }), TypeError);
  await assert.rejects(store.create({ account: v.account, ttlSeconds: 0 }), RangeError);
  await assert.rejects(store.create({ account: v.account, ttlSeconds: 367 * 86400 }), RangeError);
});

test('an unknown record version is treated as no key', async () => {
  const storage = memoryStorage();
  await storage.put('current', { version: 99, publicKey: v.publicKeyHex });
  assert.equal(await new SessionKeyStore({ storage }).load(), null);
});
