import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import {
  SessionClient, SessionGateError, challengeDigest, fromHex, leadingZeroBits, meetsDifficulty, solveDifficulty, toHex,
} from '../src/index.js';
import { difficultyRequiredBy } from '../src/difficulty.js';
import * as v from './vectors.js';

// The worked example of docs/protocol.md ("Difficulty challenge").
const PUBKEY = '0x44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f';
const BLOCK = '0F5AC4F2C1F7AE2D3F3E1E73B7C0E5D3E0C1A6B2F4B9D8E7A6C5B4A3928170FE';
const GATEWAY = 'http://gw.test:8080';

// The gateway's check, written independently with node:crypto.
function nodeDigest(publicKey, blockHash, nonce) {
  const input = Buffer.concat([Buffer.from(fromHex(publicKey, 32)), Buffer.from(fromHex(blockHash, 32)), Buffer.alloc(8)]);
  input.writeBigUInt64BE(BigInt(nonce), 64);
  return new Uint8Array(createHash('sha256').update(input).digest());
}

test('challengeDigest is SHA-256 of pubkey ‖ block_hash ‖ nonce (8 bytes big-endian), as node:crypto computes it', () => {
  for (const nonce of [0, 1, 255, 256, 581, 5072, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER]) {
    assert.deepEqual(challengeDigest({ publicKey: PUBKEY, blockHash: BLOCK, nonce }), nodeDigest(PUBKEY, BLOCK, nonce), `nonce ${nonce}`);
  }
  assert.equal(toHex(challengeDigest({ publicKey: PUBKEY, blockHash: BLOCK, nonce: 0 })), '0x3f72e30fa0e153424488930bc035f91e537855a0d94f546b3edaf50af0232585');
  assert.throws(() => challengeDigest({ publicKey: PUBKEY, blockHash: BLOCK, nonce: -1 }), TypeError);
  assert.throws(() => challengeDigest({ publicKey: '0x12', blockHash: BLOCK, nonce: 0 }), TypeError);
});

test('leadingZeroBits counts from the most significant bit of byte 0', () => {
  assert.equal(leadingZeroBits(new Uint8Array([0x80, 0])), 0);
  assert.equal(leadingZeroBits(new Uint8Array([0, 0x10])), 11);
  assert.equal(leadingZeroBits(new Uint8Array([0, 0])), 16);
});

test('the worked example: 581 is the first nonce of difficulty 8, 5072 of 12', async () => {
  assert.equal(await solveDifficulty({ publicKey: PUBKEY, blockHash: BLOCK, difficulty: 8 }), 581);
  assert.equal(await solveDifficulty({ publicKey: PUBKEY, blockHash: BLOCK, difficulty: 12 }), 5072);
  assert.equal(await solveDifficulty({ publicKey: PUBKEY, blockHash: BLOCK, difficulty: 0 }), 0);
});

test('every solution meets the difficulty by the independent check, and is the first one', async () => {
  for (const seed of [1, 2, 3]) {
    const publicKey = new Uint8Array(32).fill(seed);
    const blockHash = toHex(new Uint8Array(32).map((_, i) => (i * seed) & 0xff));
    for (const difficulty of [1, 6, 10]) {
      const nonce = await solveDifficulty({ publicKey, blockHash, difficulty });
      assert.ok(leadingZeroBits(nodeDigest(toHex(publicKey), blockHash, nonce)) >= difficulty);
      assert.ok(meetsDifficulty({ publicKey, blockHash, nonce, difficulty }));
      for (let n = 0; n < nonce; n++) assert.ok(!meetsDifficulty({ publicKey, blockHash, nonce: n, difficulty }), `nonce ${n} < ${nonce} also solves`);
    }
  }
});

test('the search is bounded by maxSolveMs and reports progress', async () => {
  let now = 0;
  const reports = [];
  // Every clock read moves 5 ms: the 100 ms budget ends after a few slices whatever the CPU.
  await assert.rejects(
    solveDifficulty({ publicKey: PUBKEY, blockHash: BLOCK, difficulty: 64, maxSolveMs: 100, now: () => (now += 5), onProgress: (p) => reports.push(p) }),
    (error) => error.name === 'DifficultyError' && error.difficulty === 64 && error.hashes > 0);
  assert.ok(reports.length > 0);
  assert.ok(reports.every((p) => !p.solved && p.expectedHashes === 2 ** 64));
  assert.ok(reports.every((p, i) => i === 0 || p.hashes > reports[i - 1].hashes));

  const solved = [];
  const nonce = await solveDifficulty({ publicKey: PUBKEY, blockHash: BLOCK, difficulty: 12, onProgress: (p) => solved.push(p) });
  assert.deepEqual({ ...solved.at(-1), elapsedMs: 0 }, { difficulty: 12, hashes: nonce + 1, expectedHashes: 4096, elapsedMs: 0, solved: true });
});

test('an aborted search rejects', async () => {
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await assert.rejects(solveDifficulty({ publicKey: PUBKEY, blockHash: BLOCK, difficulty: 64, signal: controller.signal }), /stop/);
  await assert.rejects(solveDifficulty({ publicKey: PUBKEY, blockHash: BLOCK, difficulty: 65 }), RangeError);
});

test('difficultyRequiredBy reads /block and difficulty_required problems only', () => {
  assert.equal(difficultyRequiredBy({ hash: BLOCK, difficulty: 12 }), 12);
  assert.equal(difficultyRequiredBy({ hash: BLOCK }), null);
  assert.equal(difficultyRequiredBy({ code: 'difficulty_required', difficulty: 9 }), 9);
  assert.equal(difficultyRequiredBy({ code: 'block_expired', difficulty: 9 }), null);
  assert.equal(difficultyRequiredBy(null), null);
});

// --- the client: d from /block, and from a 401 difficulty_required -------------------------

function signer() {
  const secret = secretFromSeed(fromHex(v.seedHex, 32));
  return { publicKey: toHex(getPublicKey(secret)), account: v.account, sign: (m) => sign(secret, m) };
}

/** A gateway that asks for `difficulty()` (checked like the real one) and answers 200 to solved headers. */
function challengingGateway(difficulty) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    const header = new Headers(init.headers).get('kira_session');
    calls.push({ url: String(url), header });
    if (String(url) === `${GATEWAY}/_sessiongate/block`) return Response.json({ height: 1, hash: BLOCK, time: '2026-12-03T10:00:00Z', difficulty: difficulty.announced });
    const h = JSON.parse(header);
    if (!meetsDifficulty({ publicKey: h.pubkey, blockHash: h.block_hash, nonce: h.nonce, difficulty: difficulty.required })) {
      return new Response(JSON.stringify({ type: 'urn:sessiongate:problem:difficulty_required', status: 401, code: 'difficulty_required', difficulty: difficulty.required }),
        { status: 401, headers: { 'Content-Type': 'application/problem+json' } });
    }
    return Response.json({ ok: true });
  };
  return { fetch, calls, api: () => calls.filter((c) => c.url.endsWith('/api/x')) };
}

test('the client solves the difficulty /block announces before signing', async () => {
  const gateway = challengingGateway({ announced: 10, required: 10 });
  const progress = [];
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, onSolveProgress: (p) => progress.push(p) });

  const { status } = await client.request('/api/x');

  assert.equal(status, 200);
  const header = JSON.parse(gateway.api()[0].header);
  assert.ok(leadingZeroBits(nodeDigest(header.pubkey, header.block_hash, header.nonce)) >= 10);
  assert.equal(gateway.api().length, 1);
  assert.ok(progress.at(-1).solved);
});

test('a 401 difficulty_required (d rose after /block) is solved and retried once', async () => {
  const gateway = challengingGateway({ announced: 0, required: 9 });
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch });

  const { status } = await client.request('/api/x');

  assert.equal(status, 200);
  const [first, second] = gateway.api().map((c) => JSON.parse(c.header));
  assert.equal(first.nonce, 0);
  assert.ok(meetsDifficulty({ publicKey: second.pubkey, blockHash: second.block_hash, nonce: second.nonce, difficulty: 9 }));
  assert.equal(gateway.api().length, 2);
  // The solved header is kept: the next request reuses it.
  assert.equal((await client.request('/api/x')).status, 200);
  assert.equal(gateway.api().length, 3);
});

test('a difficulty that cannot be solved in maxSolveMs fails with SessionGateError', async () => {
  const gateway = challengingGateway({ announced: 40, required: 40 });
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, maxSolveMs: 50 });

  await assert.rejects(client.request('/api/x'), (error) => error instanceof SessionGateError && /difficulty 40/.test(error.message));
  assert.equal(gateway.api().length, 0);
  assert.throws(() => new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, maxSolveMs: 0 }), RangeError);
});
