// Bundles src/index.js into target/classes/consent-widget/consent.js: one minified IIFE, CSS included,
// whose exports become window.ConsentGateway. `options` is shared with test/index.test.js.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { INLINE_CONFIG_MARK } from './src/core/inline-config.js';

/** The placeholder as it appears in the bundle (the gateway replaces exactly these bytes). */
export const INLINE_CONFIG_LITERAL = JSON.stringify(INLINE_CONFIG_MARK);

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
  const js = readFileSync(options.outfile);
  // the gateway's site-specific script swaps this literal for the site's config: it must be there, once
  if (js.toString().split(INLINE_CONFIG_LITERAL).length !== 2) {
    throw new Error(`${options.outfile} must hold ${INLINE_CONFIG_LITERAL} exactly once`);
  }
  // brotli ahead of time, next to the bundle: the JDK has no brotli encoder, Node has
  writeFileSync(options.outfile + '.br', brotliCompressSync(js, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: js.length },
  }));
}
