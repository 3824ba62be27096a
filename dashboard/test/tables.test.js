import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trafficTable, keyLabel } from '../src/core/tables.js';
import { texts } from '../src/i18n/index.js';
import { page } from './support/env.js';

test('keys read as people say them: pages without scheme, countries and languages named, built-ins translated', () => {
  assert.equal(keyLabel(texts.fr, 'fr', 'page', 'https://shop.example/a?x'), 'shop.example/a?x');
  assert.equal(keyLabel(texts.fr, 'fr', 'country', 'FR'), 'France (FR)');
  assert.equal(keyLabel(texts.en, 'en', 'language', 'de'), 'German (de)');
  assert.equal(keyLabel(texts.fr, 'fr', 'referrer', '(direct)'), '(accès direct)');
  assert.equal(keyLabel(texts.fr, 'fr', 'country', '(unknown)'), '(inconnu)');
  assert.equal(keyLabel(texts.en, 'en', 'browser', 'Firefox'), 'Firefox');
});

test('a table: bars scaled to the largest row, (other) apart in the footer, the fold count and show more', () => {
  const doc = page().document;
  let more = 0;
  const data = { rows: [{ key: '/a', visitors: 20, pageviews: 30 }, { key: '/b', visitors: 5, pageviews: 5 }],
    other: { key: '(other)', visitors: 10, pageviews: 12 }, total: 14, suppressed: 4, k: 5 };
  const el = trafficTable(doc, texts.en, 'en', 'page', data, { more: () => more++, csv: () => {} });
  assert.equal(el.id, 'table-page');
  assert.deepEqual([...el.querySelectorAll('tbody .bar')].map((b) => b.style.width), ['100%', '25%']);
  assert.equal(el.querySelector('tfoot tr').dataset.key, '(other)');
  assert.equal(el.querySelector('tfoot th').textContent, '(other)');
  assert.equal(el.querySelector('#table-page-suppressed').textContent, '4 folded below k = 5');
  assert.equal(el.querySelector('#table-page-shown').textContent, '2 of 14');
  assert.equal(el.querySelector('#table-page-csv').textContent, 'Download CSV (Pages)');
  el.querySelector('#table-page-more').click();
  assert.equal(more, 1);
  assert.equal(el.querySelector('caption').textContent, 'Pages');
});

test('nothing to show says so, and offers no more', () => {
  const doc = page().document;
  const el = trafficTable(doc, texts.fr, 'fr', 'os', { rows: [], other: null, total: 0, suppressed: 2, k: 5 },
    { more: () => {}, csv: () => {} });
  assert.equal(el.querySelector('table'), null);
  assert.equal(el.querySelector('.hint').textContent, 'Aucune donnée sur cette période.');
  assert.equal(el.querySelector('#table-os-more'), null);
});
