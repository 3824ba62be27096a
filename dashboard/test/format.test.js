import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as f from '../src/utils/format.js';

const nbsp = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('numbers and rates as each language writes them; unknown as a dash', () => {
  assert.equal(nbsp(f.number('fr', 12345)), '12 345');
  assert.equal(f.number('en', 12345), '12,345');
  assert.equal(nbsp(f.percent('fr', 0.555)), '55,5 %');
  assert.equal(f.percent('en', 0.5), '50%');
  assert.equal(f.percent('en', null), '–');
  assert.equal(f.number('en', null), '–');
});

test('changes: counts relative, rates in points, nothing when there is no base', () => {
  assert.equal(nbsp(f.change('fr', 25, 5, 'count', 'pts')), '+400 %');
  assert.equal(f.change('en', 5, 10, 'count', 'pts'), '−50%');
  assert.equal(f.change('en', 10, 10, 'count', 'pts'), '±0%');
  assert.equal(f.change('en', 10, 0, 'count', 'pts'), null);
  assert.equal(nbsp(f.change('fr', 0.55, 0.5, 'rate', 'pts')), '+5 pts');
  assert.equal(nbsp(f.change('en', 0.4, 0.455, 'rate', 'pts')), '−5.5 pts');
  assert.equal(f.change('en', 0.4, null, 'rate', 'pts'), null);
});

test('days are the site days as given, whatever the reader’s time zone', () => {
  assert.equal(f.day('fr', '2026-11-23'), '23 nov.');
  assert.equal(f.day('en', '2026-11-23', true), '23 Nov 2026');
  assert.equal(f.bucket('en', { start: '2026-11-23', end: '2026-11-29' }, 'week'), '23 Nov – 29 Nov');
  assert.equal(f.bucket('fr', { start: '2026-11-01', end: '2026-11-30' }, 'month'), 'nov. 2026');
  assert.equal(f.bucket('en', { start: '2026-11-23', end: '2026-11-23' }, 'day'), '23 Nov');
});

test('countries and languages are named, odd keys left alone', () => {
  assert.equal(f.country('fr', 'DE'), 'Allemagne (DE)');
  assert.equal(f.country('en', 'FR'), 'France (FR)');
  assert.equal(f.language('fr', 'en'), 'anglais (en)');
  assert.equal(f.country('en', '(unknown)'), '(unknown)');
});
