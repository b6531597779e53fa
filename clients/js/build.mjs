// Bundles src/browser.js with @scure/sr25519 and its @noble dependencies into one ES module,
// dist/sessiongate-client.js, which the gateway embeds for its demo page. The output is committed
// (the .NET build does not run npm); test/bundle.test.js checks it matches the sources.
//   node build.mjs            writes dist/sessiongate-client.js
//   node build.mjs --stdout   prints the bundle instead (used by the test)
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const outfile = fileURLToPath(new URL('./dist/sessiongate-client.js', import.meta.url));

/** @returns {Promise<string>} the bundle's text */
export async function bundle() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./src/browser.js', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'eof',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  return '// @sessiongate/client browser bundle, built by clients/js/build.mjs (esbuild): do not edit.\n'
    + result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundle();
  if (process.argv.includes('--stdout')) process.stdout.write(text);
  else await writeFile(outfile, text);
}
