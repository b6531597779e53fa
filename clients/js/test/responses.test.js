import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseList, readProblem, readRateLimit } from '../src/index.js';
import { describeBudgets, describeExpiry } from '../src/display.js';

test('RateLimit and RateLimit-Policy are joined per policy, daily budget included', () => {
  const headers = new Headers({
    'RateLimit-Policy': '"holder";q=600;w=60, "holder-daily";q=100000;w=86400',
    RateLimit: '"holder";r=42;t=3, "holder-daily";r=99958;t=41234',
  });
  assert.deepEqual(readRateLimit(headers), {
    budgets: [
      { name: 'holder', quota: 600, window: 60, remaining: 42, reset: 3 },
      { name: 'holder-daily', quota: 100000, window: 86400, remaining: 99958, reset: 41234 },
    ],
    retryAfter: null,
  });
});

test('a response without rate-limit headers has none; Retry-After alone is kept', () => {
  assert.equal(readRateLimit(new Headers()), null);
  assert.deepEqual(readRateLimit(new Headers({ 'Retry-After': '300' })), { budgets: [], retryAfter: 300 });
  assert.equal(readRateLimit(new Headers({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' })).retryAfter, null);
});

test('the list parser handles escapes, tokens, bare parameters and skips broken members', () => {
  assert.deepEqual(parseList('"a\\"b";r=1, tok;x;y=2, ;=bad, "c";r=3'), [
    { name: 'a"b', params: { r: '1' } },
    { name: 'tok', params: { x: '?1', y: '2' } },
    { name: 'c', params: { r: '3' } },
  ]);
  assert.deepEqual(parseList('"unterminated'), []);
  assert.deepEqual(parseList(''), []);
});

test('non-integer or huge parameter values read as unknown', () => {
  const info = readRateLimit(new Headers({ RateLimit: '"t";r=1.5;t=9999999999999999999' }));
  assert.deepEqual(info.budgets[0], { name: 't', quota: null, window: null, remaining: null, reset: null });
});

test('problem details are read from a clone, only for application/problem+json', async () => {
  const body = JSON.stringify({ type: 'urn:sessiongate:problem:key_unknown', status: 401, code: 'key_unknown' });
  const response = new Response(body, { status: 401, headers: { 'Content-Type': 'application/problem+json; charset=utf-8' } });
  assert.equal((await readProblem(response)).code, 'key_unknown');
  assert.equal(await response.text(), body, 'the caller can still read the body');
  assert.equal(await readProblem(new Response(body, { status: 401, headers: { 'Content-Type': 'application/json' } })), null);
  assert.equal(await readProblem(new Response('not json', { headers: { 'Content-Type': 'application/problem+json' } })), null);
  assert.equal(await readProblem(new Response('[1]', { headers: { 'Content-Type': 'application/problem+json' } })), null);
  assert.equal(await readProblem(new Response('x'.repeat(20000), { headers: { 'Content-Type': 'application/problem+json' } })), null);
});

test('the widget\'s texts', () => {
  assert.equal(describeBudgets(null), 'not known yet (call the API)');
  assert.equal(
    describeBudgets({ budgets: [{ name: 'holder', quota: 600, window: 60, remaining: 42, reset: 3 }], retryAfter: 3 }),
    'holder: 42 of 600 per 60 s left (resets in 3 s); retry after 3 s');
  const now = new Date('2026-11-21T10:00:00Z');
  assert.equal(describeExpiry('2026-11-22T12:30:00.000Z', now), '2026-11-22T12:30:00.000Z (in 1 d 2 h)');
  assert.equal(describeExpiry('2026-11-21T11:05:00.000Z', now), '2026-11-21T11:05:00.000Z (in 1 h 5 min)');
  assert.equal(describeExpiry('2026-11-21T09:00:00.000Z', now), '2026-11-21T09:00:00.000Z (expired)');
  assert.equal(describeExpiry('nonsense', now), 'unknown');
});
