import { test } from 'node:test';
import assert from 'node:assert/strict';
import { texts, pickLanguage, purposeName } from '../src/i18n/index.js';

function shape(o) {
  return Object.fromEntries(Object.entries(o).sort().map(([k, v]) => [k,
    typeof v === 'function' ? `fn/${v.length}` : typeof v === 'object' ? shape(v) : 'text']));
}

test('French and English define the same texts, with the same parameters', () => {
  assert.deepEqual(shape(texts.fr), shape(texts.en));
  for (const t of Object.values(texts)) {
    for (const v of Object.values(t)) assert.ok(v);
  }
  assert.notEqual(texts.fr.dailyUniques, texts.en.dailyUniques);
});

test('the language comes from the browser, French first-class and the default', () => {
  assert.equal(pickLanguage(['en-GB', 'fr']), 'en');
  assert.equal(pickLanguage(['de-DE', 'fr-CA']), 'fr');
  assert.equal(pickLanguage(['de-DE']), 'fr');
  assert.equal(pickLanguage([]), 'fr');
  assert.equal(pickLanguage(undefined), 'fr');
});

test('the usual purposes have names, others keep their id', () => {
  assert.equal(purposeName(texts.fr, 'statistics'), 'Mesure d’audience');
  assert.equal(purposeName(texts.en, 'loyalty'), 'loyalty');
});

test('the daily-unique rule is said in both languages', () => {
  assert.equal(texts.en.dailyUniques, 'Visitors are counted as daily uniques, summed over days.');
  assert.match(texts.fr.dailyUniques, /uniques par jour, additionnés sur les jours/);
  assert.match(texts.en.folded(3, 5), /^3 folded below k = 5$/);
});
