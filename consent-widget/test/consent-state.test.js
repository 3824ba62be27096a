import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConsentState } from '../src/core/consent-state.js';
import { page } from './support/env.js';

test('tells listeners and dispatches cg:consent on every change; unsubscribe works', () => {
  const doc = page().document;
  const state = createConsentState(doc);
  const seen = [];
  const events = [];
  const off = state.subscribe((c) => seen.push(c));
  doc.addEventListener('cg:consent', (e) => events.push(e.detail));
  state.set({ consentId: 'c1', choices: { statistics: true } });
  off();
  state.set(null);
  assert.deepEqual(seen, [{ consentId: 'c1', choices: { statistics: true } }]);
  assert.deepEqual(events, [{ consentId: 'c1', choices: { statistics: true } }, null]);
  assert.equal(state.get(), null);
});

test('hands out copies, so nobody can edit the consent in place', () => {
  const state = createConsentState(page().document);
  state.set({ choices: { statistics: false } });
  state.get().choices.statistics = true;
  assert.equal(state.get().choices.statistics, false);
});

test('a throwing listener does not stop the others', async () => {
  const state = createConsentState(page().document);
  const seen = [];
  state.subscribe(() => { throw new Error('listener bug'); });
  state.subscribe((c) => seen.push(c));
  const original = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const reported = new Promise((resolve) => process.once('uncaughtException', resolve));
  state.set({ choices: {} });
  assert.equal(seen.length, 1);
  assert.equal((await reported).message, 'listener bug');
  original.forEach((l) => process.on('uncaughtException', l));
});
