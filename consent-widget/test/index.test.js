import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { JSDOM } from 'jsdom';
import { options } from '../build.mjs';
import { GW, SITE, fakeGateway, settle } from './support/env.js';

const bundle = (await build({ ...options, write: false })).outputFiles[0].text;

test('the bundle is one IIFE within the 8 KB gzipped budget (JS and CSS together)', () => {
  assert.match(bundle, /^var ConsentGateway=\(\(\)=>\{/);
  assert.ok(bundle.includes('#cg-banner{'), 'the CSS travels inside');
  const size = gzipSync(bundle, { level: 9 }).length;
  assert.ok(size <= 8192, `${size} bytes gzipped`);
});

test('run as a page script it publishes window.ConsentGateway and shows the banner', async () => {
  let gw;
  const dom = new JSDOM(`<!doctype html><html lang="fr"><body>
    <script data-site="${SITE}" data-gateway="${GW}">${bundle}</script></body></html>`, {
    url: 'https://www.shop.example/', runScripts: 'dangerously',
    beforeParse(win) { gw = fakeGateway(win); },
  });
  const api = dom.window.ConsentGateway;
  assert.deepEqual(Object.keys(api).sort(), ['getConsent', 'onChange', 'openPreferences', 'show', 'track', 'withdraw']);
  await settle();
  assert.equal(gw.calls[0].url, `${GW}/v1/sites/${SITE}/config`);
  assert.ok(dom.window.document.getElementById('cg-banner'));
  dom.window.document.getElementById('cg-refuse').click();
  await settle();
  assert.equal(api.getConsent().choices.statistics, false);
});
