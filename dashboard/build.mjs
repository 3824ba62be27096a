// Bundles src/ into target/classes/dashboard/: index.html naming dashboard-<hash>.js and dashboard-<hash>.css
// (minified, Chart.js tree-shaken to the parts src/core/charts.js registers), and assets.json listing the hashed
// files, which the gateway serves for a year. `options` is shared with test/build.test.js.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const OUT = here('target/classes/dashboard');

export const options = {
  entryPoints: { dashboard: here('src/index.js'), 'dashboard-style': here('src/dashboard.css') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  outdir: OUT,
  entryNames: '[name]-[hash]',
  legalComments: 'eof', // Chart.js's licence travels with it
  metafile: true,
};

/** Builds into `out`; returns the hashed file names and their gzip sizes. */
export async function bundle(out = OUT) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await build({ ...options, outdir: out });
  const files = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = files.find((f) => f.endsWith('.js'));
  const css = files.find((f) => f.endsWith('.css'));
  const html = readFileSync(here('src/index.html'), 'utf8').replace('__JS__', js).replace('__CSS__', css);
  writeFileSync(join(out, 'index.html'), html);
  writeFileSync(join(out, 'assets.json'), `${JSON.stringify({ index: 'index.html', assets: [js, css] })}\n`);
  const sizes = Object.fromEntries([js, css, 'index.html'].map((f) => {
    const bytes = readFileSync(join(out, f));
    return [f, { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }];
  }));
  return { js, css, sizes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { sizes } = await bundle();
  for (const [f, s] of Object.entries(sizes)) console.log(`${f}: ${s.bytes} bytes, ${s.gzip} gzip`);
}
