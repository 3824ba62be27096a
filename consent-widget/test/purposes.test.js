import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choicesFor, choicesFromGranted, gpcLocked, methodFor, purposeText, purposesOf, refusesAll } from '../src/core/purposes.js';
import { CONFIG, page } from './support/env.js';

const [necessary, statistics, prospecting] = CONFIG.purposes;

test('GPC locks only the purposes marked gpc:true, never the required ones', () => {
  assert.equal(gpcLocked(prospecting, true), true);
  assert.equal(gpcLocked(statistics, true), false);
  assert.equal(gpcLocked({ ...necessary, gpc: true }, true), false);
  assert.equal(gpcLocked(prospecting, false), false);
});

test('accept all under GPC still refuses the locked purposes, and the method says gpc', () => {
  assert.deepEqual(choicesFor(CONFIG.purposes, true, 'accept_all', {}), { necessary: true, statistics: true, prospecting: false });
  assert.deepEqual(choicesFor(CONFIG.purposes, false, 'accept_all', {}), { necessary: true, statistics: true, prospecting: true });
  assert.equal(methodFor('accept_all', CONFIG.purposes, true), 'gpc');
  assert.equal(methodFor('reject_all', CONFIG.purposes, true), 'gpc');
  assert.equal(methodFor('dismiss', CONFIG.purposes, true), 'dismiss', 'GPC cannot make a dismissal refuse more');
  assert.equal(methodFor('dismiss', CONFIG.purposes, false), 'dismiss');
  assert.equal(methodFor('custom', CONFIG.purposes, false), 'custom');
  assert.equal(methodFor('accept_all', [necessary, statistics], true), 'accept_all', 'nothing to lock, GPC decided nothing');
});

test('refusal and dismissal keep the required purposes on and ignore ticked boxes; custom takes the ticks', () => {
  const ticked = { statistics: true, prospecting: true };
  for (const action of ['reject_all', 'dismiss']) {
    assert.deepEqual(choicesFor(CONFIG.purposes, false, action, ticked),
      { necessary: true, statistics: false, prospecting: false }, action);
  }
  assert.deepEqual(choicesFor(CONFIG.purposes, false, 'custom', { statistics: true }),
    { necessary: true, statistics: true, prospecting: false });
  assert.deepEqual(choicesFor(CONFIG.purposes, true, 'custom', ticked),
    { necessary: true, statistics: true, prospecting: false }, 'GPC wins over a tick');
});

test('a refusal is any choice granting only required purposes', () => {
  assert.equal(refusesAll(CONFIG.purposes, { necessary: true, statistics: false, prospecting: false }), true);
  assert.equal(refusesAll(CONFIG.purposes, { necessary: true }), true, 'left out counts as refused');
  assert.equal(refusesAll(CONFIG.purposes, { necessary: true, statistics: true }), false);
});

test('choices from the purposes a token grants', () => {
  assert.deepEqual(choicesFromGranted(['statistics'], CONFIG.purposes),
    { necessary: true, statistics: true, prospecting: false });
});

test('without config: necessary, statistics and the purposes the page tags name', () => {
  const doc = page({ html: '<script type="text/plain" data-consent="prospecting  ads"></script>' }).document;
  const list = purposesOf(null, doc);
  assert.deepEqual(list.map((p) => p.id), ['necessary', 'statistics', 'prospecting', 'ads']);
  assert.equal(list[0].required, true);
  assert.equal(list[1].gpc, false);
  assert.equal(list[2].gpc, true);
  assert.equal(purposesOf(CONFIG, doc), CONFIG.purposes);
});

test('labels in the locale, then English, then built-in, then the id', () => {
  const builtIn = { statistics: 'Audience statistics' };
  assert.equal(purposeText(statistics, 'labels', 'fr', builtIn), 'Statistiques');
  assert.equal(purposeText(statistics, 'labels', 'de', builtIn), 'Statistics');
  assert.equal(purposeText({ id: 'statistics' }, 'labels', 'fr', builtIn), 'Audience statistics');
  assert.equal(purposeText({ id: 'ads' }, 'labels', 'fr', builtIn), 'ads');
  assert.equal(purposeText({ id: 'ads' }, 'descriptions', 'fr'), '');
});
