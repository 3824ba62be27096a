import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { activateScripts } from '../src/core/scripts.js';
import { page } from './support/env.js';

const HTML = `
  <script type="text/plain" data-consent="statistics" id="stats-inline" data-x="1">window.ran = 1;</script>
  <script type="text/plain" data-consent="statistics" src="https://cdn.example/a.js" id="stats-src"></script>
  <script type="text/plain" data-consent="statistics" src="https://cdn.example/b.js" async id="stats-async"></script>
  <script type="text/plain" data-consent="prospecting" id="ads">window.adsRan = 1;</script>
  <script type="text/plain" data-consent="statistics prospecting" id="both"></script>
  <script type="text/plain" id="unrelated">not code</script>`;

test('activates only the scripts whose purposes are all granted', () => {
  const doc = page({ html: HTML }).document;
  assert.equal(activateScripts(doc, { necessary: true, statistics: true, prospecting: false }), 3);
  const inline = doc.getElementById('stats-inline');
  assert.equal(inline.hasAttribute('type'), false);
  assert.equal(inline.getAttribute('data-x'), '1');
  assert.equal(inline.getAttribute('data-consent'), 'statistics');
  assert.equal(inline.text, 'window.ran = 1;');
  const src = doc.getElementById('stats-src');
  assert.equal(src.getAttribute('src'), 'https://cdn.example/a.js');
  assert.equal(src.hasAttribute('type'), false);
  assert.equal(src.async, false, 'external scripts keep document order');
  assert.equal(doc.getElementById('stats-async').hasAttribute('async'), true);
  for (const id of ['ads', 'both', 'unrelated']) assert.equal(doc.getElementById(id).getAttribute('type'), 'text/plain');
});

test('nothing before a choice, and each script is activated once', () => {
  const doc = page({ html: HTML }).document;
  assert.equal(activateScripts(doc, {}), 0);
  assert.equal(activateScripts(doc, { statistics: true, prospecting: true }), 5);
  assert.equal(activateScripts(doc, { statistics: true, prospecting: true }), 0);
  assert.equal(doc.querySelectorAll('script[type="text/plain"]').length, 1);
});

test('the activated scripts really run', () => {
  const dom = new JSDOM(`<body>${HTML}</body>`, { runScripts: 'dangerously' });
  activateScripts(dom.window.document, { statistics: true });
  assert.equal(dom.window.ran, 1);
  assert.equal(dom.window.adsRan, undefined);
});
