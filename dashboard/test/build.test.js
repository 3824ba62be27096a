import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../build.mjs';

test('the build names hashed assets from index.html, lists them, loads nothing from elsewhere', async () => {
  const out = mkdtempSync(join(tmpdir(), 'dashboard-'));
  try {
    const { js, css, sizes } = await bundle(out);
    assert.match(js, /^dashboard-[A-Z0-9]{8}\.js$/);
    assert.match(css, /^dashboard-style-[A-Z0-9]{8}\.css$/);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.ok(html.includes(`<script src="dashboard/${js}" defer></script>`));
    assert.ok(html.includes(`<link rel="stylesheet" href="dashboard/${css}">`));
    assert.ok(!/\b(src|href)="(https?:)?\/\//.test(html), 'no other origin');
    assert.ok(!/<style|style="|<script>/.test(html), 'nothing inline for the CSP to refuse');
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'assets.json'), 'utf8')), { index: 'index.html', assets: [js, css] });
    const code = readFileSync(join(out, js), 'utf8');
    assert.ok(!/cdn|jsdelivr|unpkg/i.test(code.replace(/\/\*![\s\S]*?\*\//g, '')), 'no CDN');
    assert.ok(!code.includes('"doughnut"') && !code.includes('"polarArea"'), 'unused Chart.js controllers left out');
    assert.ok(sizes[js].gzip < 90000, `bundle ${sizes[js].gzip} bytes gzip`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
