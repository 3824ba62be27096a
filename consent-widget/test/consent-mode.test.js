import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consentDefault, consentSignals, consentUpdate } from '../src/core/consent-mode.js';
import { CONFIG } from './support/env.js';

const DENIED = { ad_storage: 'denied', analytics_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' };

test('no gtag and no dataLayer: nothing is defined or pushed', () => {
  const win = {};
  assert.equal(consentDefault(win), false);
  consentUpdate(win, CONFIG.consentMode, { statistics: true });
  assert.deepEqual(win, {});
});

test('dataLayer only: a gtag shim pushes Arguments, starting with the all-denied default', () => {
  const win = { dataLayer: [] };
  assert.equal(consentDefault(win), true);
  assert.equal(typeof win.gtag, 'function');
  const [args] = win.dataLayer;
  assert.equal(Object.prototype.toString.call(args), '[object Arguments]');
  assert.deepEqual([...args], ['consent', 'default', { ...DENIED, wait_for_update: 500 }]);
});

test('an existing gtag is used as is', () => {
  const calls = [];
  const gtag = (...a) => calls.push(a);
  const win = { gtag };
  consentDefault(win);
  consentUpdate(win, CONFIG.consentMode, { statistics: true, prospecting: false });
  assert.equal(win.gtag, gtag);
  assert.deepEqual(calls[1], ['consent', 'update', { ...DENIED, analytics_storage: 'granted' }]);
});

test('maps granted purposes to granted signals', () => {
  assert.deepEqual(consentSignals(CONFIG.consentMode, { statistics: true, prospecting: true }),
    { ad_storage: 'granted', analytics_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' });
  assert.deepEqual(consentSignals(CONFIG.consentMode, { statistics: false, prospecting: true }),
    { ...DENIED, ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' });
  assert.deepEqual(consentSignals(CONFIG.consentMode, {}), DENIED);
});

test('a signal shared by two purposes needs both', () => {
  const mapping = { prospecting: ['ad_storage'], personalisation: ['ad_storage', 'ad_personalization'] };
  assert.equal(consentSignals(mapping, { prospecting: true }).ad_storage, 'denied');
  assert.equal(consentSignals(mapping, { prospecting: true, personalisation: true }).ad_storage, 'granted');
});

test('an empty or missing mapping uses the default one', () => {
  assert.deepEqual(consentSignals({}, { statistics: true }), { ...DENIED, analytics_storage: 'granted' });
  assert.deepEqual(consentSignals(undefined, { statistics: true }), { ...DENIED, analytics_storage: 'granted' });
});
