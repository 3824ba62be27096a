import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtIn, textsFor } from '../src/i18n/index.js';

test('French and English define the same texts', () => {
  assert.deepEqual(Object.keys(builtIn.fr).sort(), Object.keys(builtIn.en).sort());
  assert.deepEqual(Object.keys(builtIn.fr.purposes).sort(), Object.keys(builtIn.en.purposes).sort());
  for (const t of [builtIn.fr, builtIn.en]) Object.values(t).forEach((v) => assert.ok(v));
});

test('site texts override the built-in ones per locale', () => {
  const t = textsFor('fr', { fr: { title: 'Vos cookies' }, en: { title: 'Cookies' } });
  assert.equal(t.title, 'Vos cookies');
  assert.equal(t.acceptAll, 'Tout accepter');
  assert.equal(textsFor('en').refuseAll, 'Refuse all');
});

test('a locale without built-in texts starts from English', () => {
  const t = textsFor('de', { de: { acceptAll: 'Alle akzeptieren' } });
  assert.equal(t.acceptAll, 'Alle akzeptieren');
  assert.equal(t.refuseAll, 'Refuse all');
});

test('types/consent-gateway.d.ts declares every built-in text', () => {
  const dts = readFileSync(new URL('../types/consent-gateway.d.ts', import.meta.url), 'utf8');
  const block = dts.slice(dts.indexOf('interface ConsentTexts'), dts.indexOf('\n}', dts.indexOf('interface ConsentTexts')));
  for (const key of Object.keys(builtIn.en)) assert.match(block, new RegExp(`\\n  ${key}: `), key);
});
