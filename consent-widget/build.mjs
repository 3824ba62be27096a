// Bundles src/index.js into target/classes/consent-widget/consent.js: one minified IIFE, CSS included,
// whose exports become window.ConsentGateway. `options` is shared with test/index.test.js.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

export const options = {
  entryPoints: [fileURLToPath(new URL('src/index.js', import.meta.url))],
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'ConsentGateway',
  target: ['es2018'],
  outfile: fileURLToPath(new URL('target/classes/consent-widget/consent.js', import.meta.url)),
  legalComments: 'none',
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build(options);
  // brotli ahead of time, next to the bundle: the JDK has no brotli encoder, Node has
  const js = readFileSync(options.outfile);
  writeFileSync(options.outfile + '.br', brotliCompressSync(js, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: js.length },
  }));
}
