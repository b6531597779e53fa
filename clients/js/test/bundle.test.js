// The .NET build embeds dist/sessiongate-client.js without running npm, so the committed bundle
// must be what the sources build to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { bundle, outfile } from '../build.mjs';

test('the committed browser bundle is up to date (run `npm run build` after changing src/)', async () => {
  const committed = await readFile(outfile, 'utf8');
  assert.ok(committed === await bundle(), 'dist/sessiongate-client.js differs from a fresh build: run npm run build and commit it');
});

test('the bundle is self-contained and exports the client API and the widget', async () => {
  const text = await readFile(outfile, 'utf8');
  assert.doesNotMatch(text, /\bfrom\s*["'][^"']+["']|\bimport\s*\(/, 'no imports left: @scure/sr25519 and @noble are inside');
  const exported = /export\{([^}]*)\}/.exec(text)[1];
  for (const name of ['SessionClient', 'SessionKeyStore', 'SessionKeyElement', 'buildHeader', 'readRateLimit', 'readProblem']) {
    assert.match(exported, new RegExp(`\\bas ${name}\\b`));
  }
});
