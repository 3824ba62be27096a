import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { JSDOM } from 'jsdom';
import { INLINE_CONFIG_LITERAL, options } from '../build.mjs';
import { CONFIG, GW, SITE, fakeGateway, settle } from './support/env.js';

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

/** Runs `script` as the page's consent.js and returns the window and the fake gateway. */
function run(script, site = SITE) {
  let gw;
  const dom = new JSDOM(`<!doctype html><html lang="fr"><body>
    <script data-site="${site}" data-gateway="${GW}">${script}</script></body></html>`, {
    url: 'https://www.shop.example/', runScripts: 'dangerously',
    beforeParse(win) { gw = fakeGateway(win); },
  });
  return { win: dom.window, gw };
}

test('the site-specific script: the gateway swaps one literal for the config, and no config call is made', async () => {
  assert.equal(bundle.split(INLINE_CONFIG_LITERAL).length, 2, 'the placeholder is in the bundle once');
  const { win, gw } = run(bundle.replace(INLINE_CONFIG_LITERAL, JSON.stringify(CONFIG)));
  await settle();
  assert.ok(win.document.getElementById('cg-banner'));
  assert.equal(win.document.getElementById('cg-title').textContent, 'Vos cookies', "the inlined config's texts");
  assert.deepEqual(gw.calls.map((c) => c.url), [`${GW}/v1/sites/${SITE}/notices`]);
});

test("another site's inlined config is ignored: this site's config is fetched", async () => {
  const { win, gw } = run(bundle.replace(INLINE_CONFIG_LITERAL, JSON.stringify({ ...CONFIG, siteId: 'other' })));
  await settle();
  assert.equal(gw.calls[0].url, `${GW}/v1/sites/${SITE}/config`);
  assert.ok(win.document.getElementById('cg-banner'));
});
