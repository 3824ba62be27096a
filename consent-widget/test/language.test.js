import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickLocale, wantedLocales } from '../src/utils/language.js';
import { page } from './support/env.js';

test('<html lang> comes before the browser languages', () => {
  const win = page({ lang: 'fr-FR', languages: ['en-GB', 'de'] });
  assert.deepEqual(wantedLocales(win), ['fr-FR', 'en-GB', 'de']);
  assert.deepEqual(wantedLocales(page({ languages: ['de'] })), ['de']);
});

test('exact tag, then primary language, restricted to the site locales', () => {
  assert.equal(pickLocale(['fr-FR'], ['en', 'fr']), 'fr');
  assert.equal(pickLocale(['pt-BR'], ['pt-PT', 'pt-BR']), 'pt-BR');
  assert.equal(pickLocale(['de', 'EN-us'], ['fr', 'en']), 'en');
  assert.equal(pickLocale(['fr'], ['en']), 'en');
});

test('falls back to the first site locale, then English', () => {
  assert.equal(pickLocale(['de'], ['fr', 'en']), 'fr');
  assert.equal(pickLocale([], ['it']), 'it');
  assert.equal(pickLocale(['de'], []), 'en');
});
