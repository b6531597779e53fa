// grantSessionKey / revokeSessionKey against a fake gateway, signed by a Keplr stand-in made of
// Keplr's own libraries (tools/keplr-test-wallet: `npm ci` there first; test.sh does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import { grantSessionKey, revokeSessionKey, grantMessage, revokeMessage, GrantError, SessionClient, fromHex, toHex } from '../src/index.js';

let createTestWallet;
try {
  ({ createTestWallet } = await import('../../../tools/keplr-test-wallet/wallet.mjs'));
} catch (cause) {
  throw new Error('The test wallet is not installed: run `npm ci` in tools/keplr-test-wallet (./test.sh does this).', { cause });
}

const GATEWAY = 'http://gw.test:8080';
const DOMAIN = 'gw.test:8080';
const CHAIN = 'localnet-1';
const vectors = JSON.parse(await readFile(new URL('../../../tests/SessionGate.Tests/Grants/Vectors/adr036-vectors.json', import.meta.url), 'utf8'));
const aliceKey = createHash('sha256').update('sessiongate adr036 vector key alice').digest('hex');

function sessionKey(account, fill = 3, expires) {
  const secret = secretFromSeed(new Uint8Array(32).fill(fill));
  return { publicKey: toHex(getPublicKey(secret)), account, expires, sign: (m) => sign(secret, m) };
}

/** /block with a chain_id; /grants and /grants/revoke answer `answer(body)` (default 201 with a record). */
function fakeGateway(answer) {
  const posts = [];
  const fetch = async (url, init = {}) => {
    if (url === `${GATEWAY}/_sessiongate/block`) return Response.json({ height: 3, hash: 'A'.repeat(64), time: '2026-12-02T18:00:00Z', chain_id: CHAIN });
    if (init.method === 'POST') {
      const body = JSON.parse(init.body);
      posts.push({ url, body, contentType: new Headers(init.headers).get('Content-Type') });
      return answer ? answer(body) : Response.json({ public_key: '0x', account: 'x', state: 'active' }, { status: 201 });
    }
    return new Response('not found', { status: 404 });
  };
  return { fetch, posts };
}

test('grantMessage and the test wallet reproduce the gateway\'s committed ADR-036 vector exactly', async () => {
  const vector = vectors.cases.find((c) => c.name === 'grant_plain');
  const wallet = await createTestWallet({ privateKey: aliceKey });
  assert.equal(wallet.bech32Address, vector.account);
  const message = grantMessage({
    domain: vectors.domain, account: vector.account, publicKey: '0xdef12e42f3e487e9b14095aa8d5cc16a33491f1b50dadcf8811d1480f3fa8627',
    chainId: vectors.chain_id, nonce: '8fKq2LmZ0aB7', issuedAt: '2026-12-02T18:00:00Z', expires: '2026-12-09T18:00:00.5Z',
  });
  assert.equal(message, vector.message);
  const signature = await wallet.signArbitrary(vectors.chain_id, vector.account, message);
  assert.deepEqual(signature, { pub_key: { type: 'tendermint/PubKeySecp256k1', value: vector.pub_key }, signature: vector.signature });
});

test('grantMessage writes statement and scopes as the gateway parses them; revokeMessage only its four fields', () => {
  const vector = vectors.cases.find((c) => c.name === 'grant_statement_and_scopes');
  const lines = vector.message.split('\n');
  const statement = lines[3];
  const scopes = lines.slice(lines.indexOf('Scopes:') + 1).map((l) => l.slice(2));
  const message = grantMessage({
    domain: vectors.domain, account: vector.account, statement, publicKey: lines[5].slice('Session Key: '.length),
    chainId: vectors.chain_id, nonce: '8fKq2LmZ0aB7', issuedAt: '2026-12-02T18:00:00Z', expires: '2026-12-09T18:00:00.5Z', scopes,
  });
  assert.equal(message, vector.message);
  const dated = grantMessage({ domain: 'd', account: 'a', publicKey: 'k', chainId: 'c', nonce: 'n', issuedAt: new Date(0), expires: new Date(1500), scopes: [{ path: '/api/' }, { path: '/x/', methods: ['GET', 'POST'] }] });
  assert.deepEqual(dated.split('\n').slice(-5), ['Issued At: 1970-01-01T00:00:00Z', 'Expiration Time: 1970-01-01T00:00:01.500Z', 'Scopes:', '- /api/', '- GET,POST /x/']);
  const revoke = vectors.cases.find((c) => c.name === 'revoke');
  const revokeLines = revoke.message.split('\n');
  assert.equal(revokeMessage({
    domain: vectors.domain, account: revoke.account, publicKey: revokeLines[3].slice('Session Key: '.length),
    chainId: vectors.chain_id, nonce: revokeLines[5].slice('Nonce: '.length), issuedAt: revokeLines[6].slice('Issued At: '.length),
  }), revoke.message);
});

test('grantSessionKey reads the chain id, has the wallet sign the message, posts its answer untouched', async () => {
  const wallet = await createTestWallet({ privateKey: aliceKey });
  const gateway = fakeGateway();
  const key = sessionKey(wallet.bech32Address, 3, new Date(Date.UTC(2026, 11, 3, 12)));
  const now = () => Date.UTC(2026, 11, 2, 18, 0, 0, 250);

  const result = await grantSessionKey({ wallet, key, domain: DOMAIN, gateway: GATEWAY, fetch: gateway.fetch, now, nonce: 'abcdefgh1234' });

  assert.equal(result.status, 201);
  const [post] = gateway.posts;
  assert.equal(post.url, `${GATEWAY}/_sessiongate/grants`);
  assert.equal(post.contentType, 'application/json');
  assert.deepEqual(Object.keys(post.body), ['message', 'signature']);
  assert.equal(post.body.message, [
    `${DOMAIN} wants you to grant a session key to your account:`, wallet.bech32Address, '',
    `Session Key: ${key.publicKey}`, 'Use Case: frontend_session_key', `Chain ID: ${CHAIN}`, 'Nonce: abcdefgh1234',
    'Issued At: 2026-12-02T18:00:00.250Z', 'Expiration Time: 2026-12-03T12:00:00Z',
  ].join('\n'));
  const signCall = wallet.calls.find((c) => c[0] === 'signArbitrary');
  assert.deepEqual(signCall, ['signArbitrary', CHAIN, wallet.bech32Address, post.body.message]);
  assert.deepEqual(post.body.signature, await wallet.signArbitrary(CHAIN, wallet.bech32Address, post.body.message));
  assert.deepEqual(wallet.calls[0], ['getKey', CHAIN]);
});

test('grantSessionKey: explicit chain id, expiry, use case and scopes; random nonces differ', async () => {
  const wallet = await createTestWallet({ privateKey: aliceKey });
  const gateway = fakeGateway();
  const key = sessionKey(wallet.bech32Address);
  const options = { wallet, key, chainId: 'kira-1', domain: DOMAIN, gateway: GATEWAY, fetch: gateway.fetch, expires: '2030-01-01T00:00:00Z', useCase: 'dapp_key', scopes: [{ path: '/api/', methods: ['GET'] }] };
  await grantSessionKey(options);
  await grantSessionKey(options);
  const [first, second] = gateway.posts.map((p) => p.body.message);
  assert.match(first, /\nChain ID: kira-1\n/);
  assert.match(first, /\nUse Case: dapp_key\n/);
  assert.match(first, /\nExpiration Time: 2030-01-01T00:00:00Z\nScopes:\n- GET \/api\/$/);
  const nonce = (m) => /\nNonce: ([A-Za-z0-9]+)\n/.exec(m)[1];
  assert.match(nonce(first), /^[A-Za-z0-9]{16}$/);
  assert.notEqual(nonce(first), nonce(second));
  assert.ok(!wallet.calls.some((c) => c[0] === 'getKey' && c[1] !== 'kira-1'));
});

test('a refusal rejects with GrantError carrying the status and the problem, errors listed', async () => {
  const wallet = await createTestWallet({ privateKey: aliceKey });
  const gateway = fakeGateway(() => new Response(JSON.stringify({ status: 400, code: 'grant_malformed', detail: '1 part of the request is invalid.', errors: { message: ['Line 4: bad'] } }),
    { status: 400, headers: { 'Content-Type': 'application/problem+json' } }));
  await assert.rejects(
    grantSessionKey({ wallet, key: sessionKey(wallet.bech32Address), domain: DOMAIN, gateway: GATEWAY, fetch: gateway.fetch }),
    (e) => e instanceof GrantError && e.status === 400 && e.problem.code === 'grant_malformed' && /grant_malformed.*message: Line 4: bad/.test(e.message));
});

test('a user rejecting in the wallet, a key of another account, or no key: nothing is posted', async () => {
  const rejecting = await createTestWallet({ privateKey: aliceKey, reject: 'sign' });
  const gateway = fakeGateway();
  const base = { domain: DOMAIN, gateway: GATEWAY, fetch: gateway.fetch };
  await assert.rejects(grantSessionKey({ ...base, wallet: rejecting, key: sessionKey(rejecting.bech32Address) }), /Request rejected/);
  const wallet = await createTestWallet({ privateKey: aliceKey });
  await assert.rejects(grantSessionKey({ ...base, wallet, key: sessionKey('kira1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqe8ggh0') }), (e) => e instanceof GrantError && /made for kira1qqq/.test(e.message));
  await assert.rejects(grantSessionKey({ ...base, wallet, store: { load: async () => null } }), /no session key/);
  await assert.rejects(grantSessionKey({ ...base, wallet: {}, key: sessionKey(wallet.bech32Address) }), TypeError);
  assert.equal(gateway.posts.length, 0);
});

test('a gateway without chain_id in /block asks for chainId', async () => {
  const wallet = await createTestWallet({ privateKey: aliceKey });
  const fetch = async () => Response.json({ height: 1, hash: 'A'.repeat(64) });
  await assert.rejects(grantSessionKey({ wallet, key: sessionKey(wallet.bech32Address), domain: DOMAIN, gateway: GATEWAY, fetch }), /names no chain_id/);
});

test('revokeSessionKey posts the revoke message to /grants/revoke', async () => {
  const wallet = await createTestWallet({ privateKey: aliceKey });
  const gateway = fakeGateway(() => Response.json({ state: 'disabled' }));
  const key = sessionKey(wallet.bech32Address);
  const result = await revokeSessionKey({ wallet, key, domain: DOMAIN, gateway: GATEWAY, fetch: gateway.fetch, nonce: 'r3v0ke123456', now: () => Date.UTC(2026, 11, 2, 18) });
  assert.equal(result.record.state, 'disabled');
  const [post] = gateway.posts;
  assert.equal(post.url, `${GATEWAY}/_sessiongate/grants/revoke`);
  assert.equal(post.body.message, [
    `${DOMAIN} wants you to revoke a session key of your account:`, wallet.bech32Address, '',
    `Session Key: ${key.publicKey}`, `Chain ID: ${CHAIN}`, 'Nonce: r3v0ke123456', 'Issued At: 2026-12-02T18:00:00Z',
  ].join('\n'));
});

test('SessionClient.session() returns GET /session signed; a refusal rejects with its code; endSession() sends DELETE', async () => {
  const seen = [];
  const fetch = async (url, init = {}) => {
    if (String(url).endsWith('/block')) return Response.json({ height: 1, hash: 'B'.repeat(64), chain_id: CHAIN });
    seen.push([init.method, String(url), new Headers(init.headers).has('kira_session')]);
    if (init.method === 'DELETE') return Response.json({ state: 'disabled' });
    if (seen.length > 2) return new Response(JSON.stringify({ status: 401, code: 'key_disabled' }), { status: 401, headers: { 'Content-Type': 'application/problem+json' } });
    return Response.json({ account: 'kira1x', budgets: [{ name: 'rate', limit: 60, remaining: 59, reset_seconds: 1 }] });
  };
  const key = sessionKey(vectors.wallets.alice.address);
  const client = new SessionClient({ key, gateway: GATEWAY, fetch });
  const view = await client.session();
  assert.equal(view.budgets[0].remaining, 59);
  assert.deepEqual(await client.endSession(), { state: 'disabled' });
  await assert.rejects(client.session(), (e) => e.status === 401 && e.problem.code === 'key_disabled');
  assert.deepEqual(seen, [['GET', `${GATEWAY}/_sessiongate/session`, true], ['DELETE', `${GATEWAY}/_sessiongate/session`, true], ['GET', `${GATEWAY}/_sessiongate/session`, true]]);
  assert.equal(fromHex(key.publicKey).length, 32);
});
