// Bundles src/index.js into target/classes/consent-widget/consent.js (minified IIFE).
import { build } from 'esbuild';
await build({
  entryPoints: ['src/index.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2018'],
  outfile: 'target/classes/consent-widget/consent.js',
  legalComments: 'none',
});
