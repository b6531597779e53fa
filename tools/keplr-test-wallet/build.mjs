// Bundles browser.mjs (the test wallet with @keplr-wallet/cosmos and @cosmjs) into one classic
// script for a browser test to inject. Not committed: tests build it after `npm ci`.
//   node build.mjs            writes dist/keplr-test-wallet.js
//   node build.mjs --stdout   prints it
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const result = await build({
  entryPoints: [fileURLToPath(new URL('./browser.mjs', import.meta.url))],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  // Keplr's libraries read `global` and `process.env` in places meant for Node.
  define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
  // …and Node's stream and events (bitcoinjs-lib, reached through @keplr-wallet/crypto, which
  // ADR-036 does not use): the browserify polyfills, as Keplr's own webpack build provides them.
  alias: { stream: 'readable-stream', events: 'events' },
  inject: [fileURLToPath(new URL('./browser-globals.mjs', import.meta.url))],
  minify: true,
  write: false,
  logLevel: 'error',
});
const text = result.outputFiles[0].text;
if (process.argv.includes('--stdout')) {
  process.stdout.write(text);
} else {
  await mkdir(new URL('./dist/', import.meta.url), { recursive: true });
  await writeFile(new URL('./dist/keplr-test-wallet.js', import.meta.url), text);
}
