import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPublicKey, secretFromSeed, sign, verify } from '@scure/sr25519';
import { SessionClient, SessionGateError, fromHex, toHex } from '../src/index.js';
import * as v from './vectors.js';

const GATEWAY = 'http://gw.test:8080';
const HASHES = ['A'.repeat(64), 'B'.repeat(64), 'C'.repeat(64), 'D'.repeat(64)];

function signer() {
  const secret = secretFromSeed(fromHex(v.seedHex, 32));
  return { publicKey: toHex(getPublicKey(secret)), account: v.account, sign: (m) => sign(secret, m) };
}

/** A gateway in a function: /block hands out HASHES in turn; other paths answer `respond(request)`. */
function fakeGateway(respond = () => new Response('{}', { status: 200 })) {
  const calls = [];
  let blocks = 0;
  let blockFailure = null;
  const fetch = async (url, init = {}) => {
    const headers = new Headers(init.headers);
    calls.push({ url: String(url), method: init.method ?? 'GET', header: headers.get('kira_session'), body: init.body });
    if (String(url) === `${GATEWAY}/_sessiongate/block`) {
      if (blockFailure) return blockFailure();
      const hash = HASHES[blocks++ % HASHES.length];
      return Response.json({ height: blocks, hash, time: '2026-11-21T10:00:00Z' });
    }
    return respond({ url: String(url), headers, init });
  };
  return {
    fetch,
    calls,
    get blockFetches() { return calls.filter((c) => c.url.endsWith('/_sessiongate/block')).length; },
    failBlocks(answer) { blockFailure = answer; },
  };
}

function clock() {
  let now = 1000;
  return { now: () => now, advance: (ms) => { now += ms; } };
}

const problem = (status, code, extraHeaders = {}) => new Response(
  JSON.stringify({ type: `urn:sessiongate:problem:${code}`, title: code, status, code, detail: 'x' }),
  { status, headers: { 'Content-Type': 'application/problem+json', ...extraHeaders } });

test('requests to the gateway carry a header signed over the latest block; others carry none', async () => {
  const gateway = fakeGateway();
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });

  await client.fetch('/api/hello');
  await client.fetch('https://elsewhere.test/x');

  const api = gateway.calls.find((c) => c.url === `${GATEWAY}/api/hello`);
  const header = JSON.parse(api.header);
  assert.equal(header.block_hash, HASHES[0]);
  assert.equal(header.account, v.account);
  assert.equal(header.pubkey, v.publicKeyHex);
  const message = new TextEncoder().encode(JSON.stringify({ account: v.account, block_hash: HASHES[0], nonce: 0 }));
  assert.ok(verify(message, fromHex(header.signature, 64), fromHex(v.publicKeyHex, 32)));
  assert.equal(gateway.calls.find((c) => c.url.startsWith('https://elsewhere.test')).header, null);
  assert.equal(client.blockUrl, `${GATEWAY}/_sessiongate/block`);
});

test('fetch is called as a plain function, as window.fetch requires', async () => {
  const gateway = fakeGateway();
  const strictFetch = function (...args) {
    if (this !== undefined) throw new TypeError('Illegal invocation');
    return gateway.fetch(...args);
  };
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: strictFetch, now: clock().now });
  assert.equal((await client.fetch('/api/hello')).status, 200);
});

test('the header is reused until the refresh interval, then re-signed over a newer block', async () => {
  const gateway = fakeGateway();
  const time = clock();
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: time.now, refreshIntervalMs: 60_000 });

  const first = await client.header();
  time.advance(59_999);
  assert.equal(await client.header(), first);
  assert.equal(gateway.blockFetches, 1);
  time.advance(1);
  const second = await client.header();
  assert.notEqual(second, first);
  assert.equal(JSON.parse(second).block_hash, HASHES[1]);
  assert.equal(gateway.blockFetches, 2);
});

test('concurrent first requests share one block fetch', async () => {
  const gateway = fakeGateway();
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });
  const headers = await Promise.all([client.header(), client.header(), client.header()]);
  assert.equal(new Set(headers).size, 1);
  assert.equal(gateway.blockFetches, 1);
});

test('while the gateway is unreachable the current header is kept until maxHeaderAge, then requests fail', async () => {
  const gateway = fakeGateway();
  const time = clock();
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: time.now, refreshIntervalMs: 60_000, maxHeaderAgeMs: 240_000 });
  const first = await client.header();

  gateway.failBlocks(() => { throw new TypeError('network down'); });
  time.advance(120_000);
  assert.equal(await client.header(), first);
  time.advance(120_000);
  await assert.rejects(client.fetch('/api/hello'), (e) => e instanceof SessionGateError && /Cannot reach the gateway/.test(e.message));
});

test('a block endpoint answering a problem is reported with its status and code', async () => {
  const gateway = fakeGateway();
  gateway.failBlocks(() => problem(503, 'chain_unavailable'));
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });
  await assert.rejects(client.header(), (e) => e instanceof SessionGateError && e.status === 503 && e.problem.code === 'chain_unavailable');
});

test('a block answer without a hash is refused', async () => {
  const gateway = fakeGateway();
  gateway.failBlocks(() => Response.json({ height: 1, hash: 'nope' }));
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });
  await assert.rejects(client.header(), /has no block hash/);
});

test('401 block_expired drops the header and a bodiless request is retried once with a fresh one', async () => {
  let refusals = 0;
  const gateway = fakeGateway(({ headers }) => {
    if (JSON.parse(headers.get('kira_session')).block_hash === HASHES[0]) { refusals++; return problem(401, 'block_expired'); }
    return new Response('ok', { status: 200 });
  });
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });
  const response = await client.fetch('/api/hello');
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'ok');
  assert.equal(refusals, 1);
  assert.equal(gateway.blockFetches, 2);
});

test('a request with a stream body is not replayed: the caller sees the 401, the next request is fresh', async () => {
  const gateway = fakeGateway(({ headers }) => JSON.parse(headers.get('kira_session')).block_hash === HASHES[0]
    ? problem(401, 'block_unknown') : new Response('ok'));
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });
  const body = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
  const result = await client.request('/api/upload', { method: 'POST', body, duplex: 'half' });
  assert.equal(result.status, 401);
  assert.equal(result.problem.code, 'block_unknown');
  assert.equal(await result.response.json().then((p) => p.code), 'block_unknown', 'the body is still readable');
  assert.equal((await client.fetch('/api/hello')).status, 200);
});

test('other refusals are not retried and their problem details reach the caller', async () => {
  const gateway = fakeGateway(() => problem(401, 'signature_invalid'));
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });
  const result = await client.request('/api/hello');
  assert.equal(result.status, 401);
  assert.equal(result.problem.code, 'signature_invalid');
  assert.equal(gateway.calls.filter((c) => c.url.endsWith('/api/hello')).length, 1);
});

test('RateLimit headers and 429 problems are surfaced, as results and as events', async () => {
  let n = 0;
  const gateway = fakeGateway(() => (++n === 1
    ? new Response('{}', { headers: { 'RateLimit-Policy': '"holder";q=600;w=60', RateLimit: '"holder";r=41;t=3' } })
    : problem(429, 'rate_limited', { 'RateLimit-Policy': '"holder";q=600;w=60', RateLimit: '"holder";r=0;t=7', 'Retry-After': '7' })));
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });
  const events = [];
  client.addEventListener('response', (e) => events.push(e.detail));

  const ok = await client.request('/api/a');
  assert.deepEqual(ok.rateLimit, { budgets: [{ name: 'holder', quota: 600, window: 60, remaining: 41, reset: 3 }], retryAfter: null });
  assert.equal(ok.problem, null);
  const limited = await client.request('/api/b');
  assert.equal(limited.status, 429);
  assert.equal(limited.problem.code, 'rate_limited');
  assert.equal(limited.rateLimit.retryAfter, 7);
  assert.equal(client.rateLimit.budgets[0].remaining, 0);
  assert.deepEqual(events.map((e) => [e.url, e.status, e.problem?.code ?? null]), [[`${GATEWAY}/api/a`, 200, null], [`${GATEWAY}/api/b`, 429, 'rate_limited']]);
});

test('setKey drops the old header', async () => {
  const gateway = fakeGateway();
  const client = new SessionClient({ key: signer(), gateway: GATEWAY, fetch: gateway.fetch, now: clock().now });
  const first = await client.header();
  const other = secretFromSeed(new Uint8Array(32).fill(7));
  client.setKey({ publicKey: toHex(getPublicKey(other)), sign: (m) => sign(other, m) }, v.account);
  const second = JSON.parse(await client.header());
  assert.notEqual(second.pubkey, JSON.parse(first).pubkey);
  assert.equal(second.pubkey, toHex(getPublicKey(other)));
});

test('the gateway path and prefix shape the block URL; bad options are refused', () => {
  const key = signer();
  const fetch = async () => new Response();
  assert.equal(new SessionClient({ key, gateway: 'https://h.test/base/', pathPrefix: '/gate/', fetch }).blockUrl, 'https://h.test/base/gate/block');
  assert.throws(() => new SessionClient({ key, gateway: GATEWAY, fetch, signingContext: 'polkadot' }), RangeError);
  assert.throws(() => new SessionClient({ key, gateway: GATEWAY, fetch, maxHeaderAgeMs: 300_000 }), RangeError);
  assert.throws(() => new SessionClient({ key, gateway: GATEWAY, fetch, refreshIntervalMs: 250_000 }), RangeError);
  assert.throws(() => new SessionClient({ key, gateway: GATEWAY, fetch, pathPrefix: 'x' }), TypeError);
  assert.throws(() => new SessionClient({ key: {}, gateway: GATEWAY, fetch }), TypeError);
});
