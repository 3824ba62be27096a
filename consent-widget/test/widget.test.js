import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../src/core/widget.js';
import { decodeToken } from '../src/utils/token.js';
import { CONFIG, GW, SITE, fakeGateway, makeToken, page, settle, spyCookies } from './support/env.js';

const TAGS = '<script type="text/plain" data-consent="statistics" id="stats">window.statsRan = 1;</script>'
  + '<script type="text/plain" data-consent="prospecting" id="ads"></script>';

/** A page load: o.cookie / o.storage carry state over from an earlier load; o.gateway tunes the fake gateway. */
async function load(o = {}) {
  const site = o.site === undefined ? SITE : o.site;
  const attrs = `${site ? `data-site="${site}"` : ''} ${o.attrs || ''}`;
  const win = page({ dataLayer: true, ...o, html: `<script id="cg" src="${GW}/consent.js" ${attrs}></script>${TAGS}${o.html || ''}` });
  const doc = win.document;
  const gw = o.gateway ? o.gateway(win) : fakeGateway(win);
  const cookieWrites = spyCookies(doc);
  const events = [];
  doc.addEventListener('cg:consent', (e) => events.push(e.detail));
  const api = start(win, doc.getElementById('cg'));
  await settle();
  const $ = (sel) => doc.querySelector(sel);
  const cookie = () => doc.cookie.split('; ').find((c) => c.startsWith('cg_consent='));
  const storage = () => ({ cg_pending: win.localStorage.getItem('cg_pending') || undefined });
  return { win, doc, gw, api, $, cookieWrites, events, cookie, storage };
}
const paths = (gw) => gw.calls.map((c) => `${c.method} ${c.url.slice(GW.length)}`);
/** The record calls as sent: body, Idempotency-Key and the bearer token (null without one). */
const records = (gw) => gw.calls.filter((c) => c.url === `${GW}/v1/consents`).map((c) => ({
  body: c.body, key: c.headers['Idempotency-Key'], bearer: (c.headers.Authorization || '').slice(7) || null }));
const denied = { ad_storage: 'denied', analytics_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' };

test('first visit: banner and notice, consent mode denied, and nothing stored or sent', async () => {
  const p = await load({ lang: 'fr' });
  assert.ok(p.$('#cg-banner'));
  assert.equal(p.$('#cg-title').textContent, 'Vos cookies');
  assert.deepEqual(paths(p.gw), [`GET /v1/sites/${SITE}/config`, `POST /v1/sites/${SITE}/notices`]);
  assert.deepEqual(p.gw.calls[1].body, { policyVersion: '2026-11', locale: 'fr' });
  assert.deepEqual(p.cookieWrites, []);
  assert.equal(p.win.localStorage.length, 0);
  assert.deepEqual(p.gw.beacons, []);
  assert.equal(p.$('#stats').getAttribute('type'), 'text/plain');
  assert.deepEqual([...p.win.dataLayer[0]], ['consent', 'default', { ...denied, wait_for_update: 500 }]);
  assert.equal(p.api.getConsent(), null);
});

test('accept all: recorded once, cookie with the consent expiry, tags on, consent mode granted, one pageview', async () => {
  const p = await load({ languages: ['en-GB'] });
  p.$('#cg-accept').click();
  await settle();
  const [sent] = p.gw.consents;
  assert.equal(p.gw.consents.length, 1);
  assert.deepEqual({ ...sent, key: undefined }, {
    siteId: SITE, noticeId: 'n-2', policyVersion: '2026-11', locale: 'en', method: 'accept_all',
    choices: { statistics: true, prospecting: true }, key: undefined,
  });
  assert.match(sent.key, /^[0-9a-f-]{36}$/);
  const consentWrites = p.cookieWrites.filter((w) => w.startsWith('cg_consent='));
  assert.equal(consentWrites.length, 1);
  const record = [...p.gw.valid.values()][0];
  assert.ok(consentWrites[0].includes(`expires=${new Date(record.expiresAt).toUTCString()}`));
  assert.match(consentWrites[0], /path=\/; SameSite=Lax; Secure$/);
  assert.equal(p.cookie(), `cg_consent=${record.token}`);
  assert.equal(p.win.localStorage.getItem('cg_pending'), null);
  assert.equal(p.$('#stats').hasAttribute('type'), false);
  assert.equal(p.$('#ads').hasAttribute('type'), false);
  assert.deepEqual(p.win.dataLayer[1][2], { ad_storage: 'granted', analytics_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' });
  assert.equal(p.gw.beacons.length, 1);
  assert.equal(p.gw.beacons[0].type, 'pageview');
  assert.equal(p.gw.beacons[0].token, record.token);
  assert.deepEqual(p.api.getConsent(), {
    consentId: record.consentId, subjectId: record.subjectId, choices: record.choices,
    expiresAt: record.expiresAt, policyVersion: '2026-11',
  });
  assert.equal(p.events.length, 2, 'applied locally, then confirmed by the gateway');
  assert.equal(p.events[0].pending, true);
  assert.equal(p.events[1].consentId, record.consentId);
});

test('refuse all: the refusal is recorded and remembered the same way, nothing activated or sent', async () => {
  const p = await load({ cookie: ['_ga=1; path=/', '_ga_XYZ=2; path=/', 'cart=3; path=/'] });
  p.$('#cg-refuse').click();
  await settle();
  assert.deepEqual(p.gw.consents[0].choices, { statistics: false, prospecting: false });
  assert.equal(p.gw.consents[0].method, 'reject_all');
  assert.ok(p.cookie());
  assert.equal(p.$('#stats').getAttribute('type'), 'text/plain');
  assert.deepEqual(p.gw.beacons, []);
  assert.deepEqual(p.doc.cookie.split('; ').map((c) => c.split('=')[0]).sort(), ['cart', 'cg_consent']);
  p.api.track('signup');
  assert.deepEqual(p.gw.beacons, []);
});

test('next page: consent checked with the gateway, the cookie is not written again, tags run, pageview sent', async () => {
  const first = await load();
  first.$('#cg-customise').click();
  first.$('input[data-purpose="statistics"]').click();
  first.$('#cg-save').click();
  await settle();
  assert.equal(first.gw.consents[0].method, 'custom');
  const token = first.cookie().slice('cg_consent='.length);

  const next = await load({ cookie: `cg_consent=${token}; path=/`, gateway: (w) => Object.assign(fakeGateway(w), { valid: first.gw.valid }) });
  assert.deepEqual(next.cookieWrites, []);
  assert.equal(next.$('#cg-banner'), null);
  assert.deepEqual(paths(next.gw).sort(), ['BEACON /v1/collect', `GET /v1/consents/current?site=${SITE}`,
    `GET /v1/sites/${SITE}/config`]);
  assert.equal(next.gw.calls.find((c) => c.url.includes('current')).headers.Authorization, `Bearer ${token}`);
  assert.equal(next.$('#stats').hasAttribute('type'), false);
  assert.equal(next.$('#ads').getAttribute('type'), 'text/plain');
  assert.equal(next.gw.beacons.length, 1);
  assert.equal(next.api.getConsent().choices.statistics, true);
  next.api.track('signup', { plan: 'pro' });
  assert.equal(next.gw.beacons[1].name, 'signup');
  assert.deepEqual(next.events.map((e) => e.consentId), [decodeToken(token).cid]);
});

test('a token the gateway refuses (401) is deleted and the banner shown again', async () => {
  const token = makeToken({ site: SITE, sub: 's', cid: 'c', p: ['necessary', 'statistics'], exp: Date.now() / 1000 + 1e6 });
  const p = await load({ cookie: [`cg_consent=${token}; path=/`, '_ga=1; path=/'] });
  assert.equal(p.cookie(), undefined);
  assert.equal(p.doc.cookie, '');
  assert.ok(p.$('#cg-banner'));
  assert.equal(p.$('#stats').getAttribute('type'), 'text/plain');
  assert.deepEqual(p.gw.beacons, []);
  assert.equal(p.api.getConsent(), null);
});

test('a substantial policy change asks again and keeps the same subject', async () => {
  const seed = (w) => fakeGateway(w);
  const first = await load({ gateway: seed });
  const token = first.gw.issue({ statistics: true }, 'subject-1');
  const p = await load({ cookie: `cg_consent=${token}; path=/`,
    gateway: (w) => Object.assign(fakeGateway(w), { valid: first.gw.valid, renewRequired: true }) });
  assert.ok(p.$('#cg-banner'));
  assert.equal(p.cookie(), `cg_consent=${token}`, 'kept until the new choice replaces it');
  assert.equal(p.$('#stats').getAttribute('type'), 'text/plain');
  p.$('#cg-refuse').click();
  await settle();
  assert.equal(records(p.gw)[0].bearer, token, 'the old token proves the subject');
  assert.equal(p.api.getConsent().subjectId, 'subject-1');
  assert.notEqual(p.cookie(), `cg_consent=${token}`);
});

test('a first choice goes without a token; a change goes with the token as bearer and no subjectId', async () => {
  const p = await load({ html: '<button data-cg-open id="o">Cookies</button>' });
  p.$('#cg-accept').click();
  await settle();
  const token = p.cookie().slice('cg_consent='.length);
  p.$('#o').click();
  await settle();
  p.$('#cg-refuse').click();
  await settle();
  const [first, change] = records(p.gw);
  assert.equal(first.bearer, null);
  assert.equal(change.bearer, token);
  assert.ok(!('subjectId' in first.body) && !('subjectId' in change.body));
  assert.notEqual(first.key, change.key);
  assert.equal(p.gw.consents.length, 2);
});

test('a record refused with 401 (token revoked elsewhere): token forgotten, sent once more without it under a new key', async () => {
  const issuer = await load();
  const token = issuer.gw.issue({ statistics: true, prospecting: false }, 'subject-1');
  const p = await load({ cookie: [`cg_consent=${token}; path=/`, '_ga=1; path=/'], html: '<button data-cg-open id="o">Cookies</button>',
    gateway: (w) => Object.assign(fakeGateway(w), { valid: issuer.gw.valid }) });
  p.gw.valid.delete(token); // revoked after this page checked it
  p.$('#o').click();
  await settle();
  p.$('#cg-customise').click();
  p.$('#cg-save').click(); // statistics still ticked
  await settle();
  const [refused, retried] = records(p.gw);
  assert.equal(records(p.gw).length, 2);
  assert.equal(refused.bearer, token);
  assert.equal(retried.bearer, null);
  assert.notEqual(retried.key, refused.key, 'the gateway binds a key to the token that presented it');
  assert.deepEqual(retried.body, refused.body, 'the same choice');
  const consent = p.api.getConsent();
  assert.notEqual(consent.subjectId, 'subject-1', 'a new subject');
  assert.equal(consent.choices.statistics, true);
  assert.equal(p.cookie(), `cg_consent=${[...p.gw.valid.keys()].at(-1)}`);
  assert.ok(p.doc.cookie.includes('_ga=1'), 'the new choice grants statistics: its cookies stay');
  assert.equal(p.win.localStorage.getItem('cg_pending'), null);
});

test('a pending choice whose token is refused is retried once only, not looped', async () => {
  const token = makeToken({ site: SITE, sub: 's', cid: 'c', p: ['necessary'], exp: Date.now() / 1000 + 1e6 });
  const body = { siteId: SITE, policyVersion: '2026-11', locale: 'en', method: 'reject_all', choices: { statistics: false, prospecting: false } };
  const p = await load({ cookie: `cg_consent=${token}; path=/`,
    storage: { cg_pending: JSON.stringify({ key: 'k-1', body }) },
    gateway: (w) => {
      const g = fakeGateway(w);
      const fetch = w.fetch;
      w.fetch = (url, init) => (url.endsWith('/v1/consents') ? (g.calls.push({ url, headers: init.headers, body: JSON.parse(init.body) }),
        Promise.resolve({ status: 401, json: async () => ({ error: 'invalid_token' }) })) : fetch(url, init));
      return g;
    } });
  p.win.dispatchEvent(new p.win.Event('online'));
  await settle();
  assert.deepEqual(records(p.gw).map((r) => [r.key === 'k-1', r.bearer]), [[true, token], [false, null]]);
  assert.equal(p.cookie(), undefined);
  assert.equal(p.win.localStorage.getItem('cg_pending'), null, 'refused for good');
});

test('a malformed, foreign or expired cookie is deleted without asking the gateway', async () => {
  const foreign = makeToken({ site: 'other', sub: 's', cid: 'c', p: [], exp: Date.now() / 1000 + 1e6 });
  const expired = makeToken({ site: SITE, sub: 's', cid: 'c', p: [], exp: Date.now() / 1000 - 10 });
  for (const value of ['v1.tampered', foreign, expired]) {
    const p = await load({ cookie: `cg_consent=${value}; path=/` });
    assert.equal(p.cookie(), undefined, value);
    assert.ok(p.$('#cg-banner'));
    assert.ok(!paths(p.gw).some((x) => x.includes('current')));
  }
});

test('an unknown site warns once and shows nothing; so does a missing data-site', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const p = await load({ site: 'nope' });
  await p.api.show();
  p.$('body').insertAdjacentHTML('beforeend', '<button data-cg-open id="o">prefs</button>');
  p.$('#o').click();
  await settle();
  assert.equal(p.$('#cg-banner'), null);
  assert.equal(warn.mock.callCount(), 1);
  assert.match(warn.mock.calls[0].arguments[0], /unknown site "nope"/);
  assert.equal(await p.api.withdraw(), null);

  const q = await load({ site: null });
  assert.equal(warn.mock.callCount(), 2);
  assert.equal(q.gw.calls.length, 0);
  assert.equal(q.api.getConsent(), null);
});

test('the first layer names the site and its purposes, in the lang the banner speaks, not the page', async () => {
  const p = await load({ lang: 'de', languages: ['fr-FR'] });
  assert.equal(p.$('#cg-banner').getAttribute('lang'), 'fr');
  assert.equal(p.doc.documentElement.lang, 'de');
  assert.match(p.$('#cg-desc').textContent, /Shop utilise .* pour\u00a0: Statistiques, Prospection\./);
  const en = await load({ languages: ['en'], gateway: (w) => fakeGateway(w, { config: { ...CONFIG, name: 'Boutique SA' } }) });
  assert.equal(en.$('#cg-banner').getAttribute('lang'), 'en');
  assert.match(en.$('#cg-desc').textContent, /Boutique SA uses .* for: Statistics, Prospecting\./);
});

test('gateway unreachable: built-in banner, choice applied at once, kept pending, sent once it is back', async () => {
  const p = await load({ lang: 'en', gateway: (w) => fakeGateway(w, { down: true }) });
  assert.equal(p.$('#cg-title').textContent, 'Your privacy');
  assert.match(p.$('#cg-desc').textContent, /this site uses .* for: Audience statistics, Prospecting\./, 'built-in labels');
  assert.deepEqual([...p.doc.querySelectorAll('input[data-purpose]')].map((i) => i.getAttribute('data-purpose')),
    ['necessary', 'statistics', 'prospecting']);
  p.$('#cg-accept').click();
  await settle();
  assert.equal(p.$('#stats').hasAttribute('type'), false, 'applied locally');
  assert.equal(p.api.getConsent().pending, true);
  assert.deepEqual(p.cookieWrites, [], 'the cookie holds real tokens only');
  const { key } = JSON.parse(p.win.localStorage.getItem('cg_pending'));

  // next page, still offline: no banner, the local choice applies, the same key is tried again
  const again = await load({ storage: p.storage(), gateway: (w) => fakeGateway(w, { down: true }) });
  assert.equal(again.$('#cg-banner'), null);
  assert.equal(again.$('#stats').hasAttribute('type'), false);

  // back online on that page: recorded once, with the same key, then the cookie
  again.gw.down = false;
  again.win.dispatchEvent(new again.win.Event('online'));
  await settle();
  assert.equal(again.gw.consents.length, 1);
  assert.equal(again.gw.consents[0].key, key);
  assert.deepEqual(again.gw.consents[0].choices, { statistics: true, prospecting: true });
  assert.equal(again.gw.consents[0].policyVersion, '2026-11', 'filled in from the config');
  assert.equal(again.win.localStorage.getItem('cg_pending'), null);
  assert.ok(again.cookie());
  assert.equal(again.gw.beacons.length, 1);
  assert.equal(again.api.getConsent().pending, undefined);
});

test('a pending choice is re-sent on the next load and the gateway keeps one record per key', async () => {
  const offline = await load({ gateway: (w) => fakeGateway(w, { down: true }) });
  offline.$('#cg-refuse').click();
  await settle();
  const storage = offline.storage();
  let shared;
  const gateway = (w) => { const g = fakeGateway(w); if (shared) Object.assign(g, shared); else shared = g; return g; };
  const a = await load({ storage, gateway });
  const b = await load({ storage, gateway }); // a tab that still had the old pending copy
  assert.equal(a.gw.consents.length, 1);
  assert.ok(b.cookie());
  assert.equal(a.cookie(), b.cookie());
});

test('GPC: prospecting refused and locked, the consent recorded with method gpc', async () => {
  const p = await load({ gpc: true });
  assert.equal(p.$('input[data-purpose="prospecting"]').disabled, true);
  p.$('#cg-accept').click();
  await settle();
  assert.equal(p.gw.consents[0].method, 'gpc');
  assert.deepEqual(p.gw.consents[0].choices, { statistics: true, prospecting: false });
  assert.equal(p.$('#ads').getAttribute('type'), 'text/plain');
  assert.equal(p.win.dataLayer[1][2].ad_storage, 'denied');
});

test('× and Escape record a dismissal: every optional purpose refused, method dismiss, also under GPC', async () => {
  for (const gpc of [false, true]) {
    const x = await load({ gpc });
    x.$('#cg-close').click();
    await settle();
    assert.deepEqual(x.gw.consents.map((c) => [c.method, c.choices]), [['dismiss', { statistics: false, prospecting: false }]]);
    assert.equal(x.$('#stats').getAttribute('type'), 'text/plain');
    assert.ok(x.cookie(), 'remembered like a refusal');

    const esc = await load({ gpc });
    esc.doc.activeElement.dispatchEvent(new esc.win.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    assert.deepEqual(esc.gw.consents.map((c) => c.method), ['dismiss']);
    assert.equal(esc.$('#cg-banner'), null);
  }
});

test('"accept all" made without config is sent as the config has it: every purpose granted, or gpc', async () => {
  // chosen offline on a page naming only statistics: the fallback purposes lacked the config's prospecting
  const body = { siteId: SITE, locale: 'en', method: 'accept_all', choices: { necessary: true, statistics: true } };
  for (const [gpc, method, prospecting] of [[false, 'accept_all', true], [true, 'gpc', false]]) {
    const p = await load({ gpc, storage: { cg_pending: JSON.stringify({ key: 'k-1', body }) } });
    assert.deepEqual(p.gw.consents.map((c) => [c.method, c.choices, c.policyVersion]),
      [[method, { statistics: true, prospecting }, '2026-11']]);
    assert.ok(p.cookie());
  }
});

test('withdraw: new token in the cookie, refused cookies deleted, consent mode denied, event sent', async () => {
  const p = await load();
  p.$('#cg-accept').click();
  await settle();
  p.doc.cookie = '_ga=1; path=/';
  const before = p.cookie();
  const consent = await p.api.withdraw();
  assert.equal(paths(p.gw).at(-1), 'POST /v1/consents/withdraw');
  assert.deepEqual(consent.choices, { necessary: true, statistics: false, prospecting: false });
  assert.notEqual(p.cookie(), before);
  assert.ok(!p.doc.cookie.includes('_ga='));
  assert.deepEqual(p.win.dataLayer.at(-1)[2], denied);
  assert.deepEqual(p.events.at(-1), consent);
});

test('withdraw while the gateway is away refuses at once and queues a refusal for the same subject', async () => {
  const p = await load();
  p.$('#cg-accept').click();
  await settle();
  const { subjectId } = p.api.getConsent();
  const token = p.cookie().slice('cg_consent='.length);
  p.gw.down = true;
  const consent = await p.api.withdraw();
  assert.equal(consent.pending, true);
  assert.equal(consent.subjectId, subjectId);
  assert.equal(consent.choices.statistics, false);
  const { body } = JSON.parse(p.win.localStorage.getItem('cg_pending'));
  assert.equal(body.method, 'reject_all');
  assert.ok(!('subjectId' in body));
  p.gw.down = false;
  p.win.dispatchEvent(new p.win.Event('online'));
  await settle();
  assert.equal(records(p.gw).at(-1).bearer, token);
  assert.equal(p.api.getConsent().subjectId, subjectId);
});

test('show() and [data-cg-open] reopen the banner with the current choices', async () => {
  const p = await load({ html: '<a href="#" data-cg-open><span id="inner">Cookie preferences</span></a>' });
  p.$('#cg-customise').click();
  p.$('input[data-purpose="statistics"]').click();
  p.$('#cg-save').click();
  await settle();
  assert.equal(p.$('#cg-banner'), null);
  p.$('#inner').click();
  await settle();
  assert.ok(p.$('#cg-banner'));
  assert.equal(p.$('input[data-purpose="statistics"]').checked, true);
  await p.api.show();
  assert.equal(p.doc.querySelectorAll('#cg-banner').length, 1);
  const { subjectId } = p.api.getConsent();
  const token = p.cookie().slice('cg_consent='.length);
  p.$('#cg-close').click();
  await settle();
  assert.equal(p.gw.consents.length, 2);
  assert.equal(p.gw.consents[1].method, 'dismiss');
  assert.equal(records(p.gw)[1].bearer, token);
  assert.equal(p.api.getConsent().subjectId, subjectId, 'a change keeps the subject, so its expiry stays fixed');
});

// -- the floating button ---------------------------------------------------------------------------
const withButton = (floatingButton) => (w) => fakeGateway(w, { config: { ...CONFIG, widget: { floatingButton, repromptAfterRefusalDays: null } } });

test('floating button: none while the banner is open, then there; it reopens the banner and gets focus back', async () => {
  const p = await load({ languages: ['en'], gateway: withButton(true) });
  assert.equal(p.$('#cg-fab'), null, 'no choice yet');
  p.$('#cg-refuse').click();
  await settle();
  const fab = p.$('#cg-fab');
  assert.equal(fab.textContent, 'Cookie preferences');
  assert.equal(fab.getAttribute('lang'), 'en');
  fab.focus();
  fab.click();
  await settle();
  assert.ok(p.$('#cg-banner'));
  assert.equal(p.$('#cg-fab'), null, 'not beside the banner');
  assert.ok(p.$('#cg-banner').contains(p.doc.activeElement));
  p.$('#cg-accept').click();
  await settle();
  assert.equal(p.$('#cg-fab'), fab);
  assert.equal(p.doc.activeElement, fab, 'focus returns to what opened the banner');
  assert.equal(p.gw.consents.at(-1).method, 'accept_all');
});

test('floating button: shown at once to a returning visitor, in the banner\'s locale', async () => {
  const first = await load({ gateway: withButton(true) });
  const token = first.gw.issue({ statistics: true }, 'subject-1');
  const p = await load({ lang: 'fr', cookie: `cg_consent=${token}; path=/`,
    gateway: (w) => Object.assign(withButton(true)(w), { valid: first.gw.valid }) });
  assert.equal(p.$('#cg-banner'), null);
  assert.equal(p.$('#cg-fab').textContent, 'Préférences cookies');
  assert.equal(p.$('#cg-fab').getAttribute('lang'), 'fr');
});

test('floating button: not shown when the setting is false or absent (older gateway)', async () => {
  for (const gateway of [withButton(false), (w) => fakeGateway(w)]) {
    const p = await load({ gateway });
    p.$('#cg-accept').click();
    await settle();
    assert.ok(p.api.getConsent());
    assert.equal(p.$('#cg-fab'), null);
  }
});

// -- asking again after a refusal ------------------------------------------------------------------
/** A returning visitor whose consent `choices` was given `days` ago, on a site asking again after `reprompt` days. */
async function returning(choices, days, reprompt) {
  const config = { ...CONFIG, widget: { floatingButton: false, repromptAfterRefusalDays: reprompt } };
  const first = await load({ gateway: (w) => fakeGateway(w, { config }) });
  const token = first.gw.issue(choices, 'subject-1');
  first.gw.valid.get(token).givenAt = new Date(Date.now() - days * 86400e3).toISOString();
  const p = await load({ cookie: `cg_consent=${token}; path=/`,
    gateway: (w) => Object.assign(fakeGateway(w, { config }), { valid: first.gw.valid }) });
  return { ...p, token };
}
const refused = { statistics: false, prospecting: false };

test('after a refusal older than repromptAfterRefusalDays the banner asks again, for the same subject', async () => {
  const p = await returning(refused, 31, 30);
  assert.ok(p.$('#cg-banner'));
  assert.equal(p.api.getConsent().choices.statistics, false, 'the refusal holds until the new answer');
  assert.equal(p.$('#stats').getAttribute('type'), 'text/plain');
  assert.ok(paths(p.gw).includes(`POST /v1/sites/${SITE}/notices`));
  p.$('#cg-accept').click();
  await settle();
  assert.equal(records(p.gw)[0].bearer, p.token);
  assert.equal(p.api.getConsent().subjectId, 'subject-1');
  assert.equal(p.api.getConsent().choices.statistics, true);
});

test('no asking again before the delay, after a consent that grants something, or without the setting', async () => {
  for (const [choices, days, reprompt, why] of [
    [refused, 29, 30, 'too early'],
    [{ statistics: true, prospecting: false }, 400, 30, 'not a refusal'],
    [refused, 390, null, 'no setting: asked again at expiry only'],
    [refused, 390, undefined, 'older gateway'],
  ]) {
    const p = await returning(choices, days, reprompt);
    assert.equal(p.$('#cg-banner'), null, why);
    assert.ok(p.api.getConsent(), why);
  }
});

test('a custom choice ticking nothing and a dismissal count as refusals; 0 days asks on the next visit', async () => {
  assert.ok((await returning({ statistics: false }, 0, 0)).$('#cg-banner'));
  const first = await load({ gateway: (w) => fakeGateway(w, { config: { ...CONFIG, widget: { repromptAfterRefusalDays: 0 } } }) });
  first.$('#cg-close').click();
  await settle();
  assert.equal(first.gw.consents[0].method, 'dismiss');
  const next = await load({ cookie: first.cookie(), gateway: (w) => Object.assign(
    fakeGateway(w, { config: { ...CONFIG, widget: { repromptAfterRefusalDays: 0 } } }), { valid: first.gw.valid }) });
  assert.ok(next.$('#cg-banner'));
});

test('onChange listeners and unsubscribe', async () => {
  const p = await load();
  const seen = [];
  const off = p.api.onChange((c) => seen.push(c.choices.statistics));
  p.$('#cg-accept').click();
  await settle();
  off();
  await p.api.withdraw();
  assert.deepEqual(seen, [true, true]);
});

test('data-gateway overrides the script origin', async () => {
  const p = await load({ attrs: `data-gateway="${GW}/"`, html: '' });
  assert.ok(p.gw.calls[0].url.startsWith(`${GW}/v1/`));
  const win = page({ html: `<script id="cg" src="https://cdn.example/consent.js" data-site="${SITE}" data-gateway="${GW}"></script>` });
  const gw = fakeGateway(win);
  start(win, win.document.getElementById('cg'));
  await settle();
  assert.equal(gw.calls[0].url, `${GW}/v1/sites/${SITE}/config`);
});

test('loading consent.js twice keeps one widget', async () => {
  const p = await load();
  p.win.ConsentGateway = p.api;
  assert.equal(start(p.win, p.doc.getElementById('cg')), p.api);
  await settle();
  assert.equal(p.doc.querySelectorAll('#cg-banner').length, 1);
});

// -- the preferences page ---------------------------------------------------------------------------
const submitsOf = (win) => {
  const submitted = [];
  win.HTMLFormElement.prototype.submit = function submit() {
    submitted.push({ method: this.method, action: this.action, fields: Object.fromEntries(new win.FormData(this)) });
  };
  return submitted;
};

test('[data-cg-preferences] and openPreferences() open the preferences page, with the token once there is one', async () => {
  const p = await load({ url: 'https://www.shop.example/cart?step=2#top',
    html: '<a href="#" data-cg-preferences><span id="prefs">Manage my consent</span></a>' });
  const submitted = submitsOf(p.win);
  p.$('#prefs').click();
  assert.deepEqual(submitted.pop(), { method: 'get', action: `${GW}/preferences`, fields: { site: SITE } });
  p.$('#cg-accept').click();
  await settle();
  const token = p.cookie().slice('cg_consent='.length);
  p.$('#prefs').click();
  p.api.openPreferences();
  const post = { method: 'post', action: `${GW}/preferences`,
    fields: { site: SITE, token, return: 'https://www.shop.example/cart?step=2' } };
  assert.deepEqual(submitted, [post, post]);
  assert.equal(p.win.location.hash, '#top', 'the link did not navigate by itself');
});

test('back from the preferences page: #cg_token adopted with its own expiry, applied, no banner, URL cleaned', async () => {
  const issuer = await load();
  const token = issuer.gw.issue({ statistics: true, prospecting: false }, 'subject-1');
  const record = issuer.gw.valid.get(token);
  const p = await load({ url: `https://www.shop.example/products#reviews&cg_token=${token}`,
    cookie: ['_fbp=1; path=/', 'cart=3; path=/'], gateway: (w) => Object.assign(fakeGateway(w), { valid: issuer.gw.valid }) });
  assert.equal(p.$('#cg-banner'), null);
  assert.equal(p.win.location.href, 'https://www.shop.example/products#reviews');
  const writes = p.cookieWrites.filter((w) => w.startsWith('cg_consent='));
  assert.equal(writes.length, 1);
  assert.ok(writes[0].includes(`expires=${new Date(decodeToken(token).exp * 1000).toUTCString()}`), writes[0]);
  assert.equal(p.cookie(), `cg_consent=${token}`);
  assert.deepEqual(p.doc.cookie.split('; ').map((c) => c.split('=')[0]).sort(), ['cart', 'cg_consent']);
  assert.equal(p.$('#stats').hasAttribute('type'), false);
  assert.equal(p.$('#ads').getAttribute('type'), 'text/plain');
  assert.equal(p.win.dataLayer.at(-1)[2].analytics_storage, 'granted');
  assert.equal(p.win.dataLayer.at(-1)[2].ad_storage, 'denied');
  assert.equal(p.gw.consents.length, 0, 'recorded by the preferences page, not again here');
  assert.equal(p.api.getConsent().consentId, record.consentId);
});

test('the token from the preferences page replaces the cookie and an unsent choice', async () => {
  const offline = await load({ gateway: (w) => fakeGateway(w, { down: true }) });
  offline.$('#cg-accept').click();
  await settle();
  const issuer = await load();
  const old = issuer.gw.issue({ statistics: true, prospecting: true }, 'subject-1');
  const fresh = issuer.gw.issue({ statistics: false, prospecting: false }, 'subject-1');
  const p = await load({ url: `https://www.shop.example/#cg_token=${fresh}`, cookie: `cg_consent=${old}; path=/`,
    storage: offline.storage(), gateway: (w) => Object.assign(fakeGateway(w), { valid: issuer.gw.valid }) });
  assert.equal(p.cookie(), `cg_consent=${fresh}`);
  assert.equal(p.win.localStorage.getItem('cg_pending'), null);
  assert.equal(p.gw.consents.length, 0);
  assert.equal(p.api.getConsent().choices.statistics, false);
  assert.equal(p.win.location.href, 'https://www.shop.example/');
});

test('a #cg_token that does not decode, is for another site or has expired is ignored', async () => {
  const foreign = makeToken({ site: 'other', sub: 's', cid: 'c', p: ['necessary', 'statistics'], exp: Date.now() / 1000 + 1e6 });
  const expired = makeToken({ site: SITE, sub: 's', cid: 'c', p: ['necessary', 'statistics'], exp: Date.now() / 1000 - 10 });
  for (const value of ['garbage', 'v1.k.!!!.sig', foreign, expired]) {
    const p = await load({ url: `https://www.shop.example/p#cg_token=${value}` });
    assert.deepEqual(p.cookieWrites, [], value);
    assert.ok(p.$('#cg-banner'), value);
    assert.equal(p.win.location.href, 'https://www.shop.example/p');
  }
});

test('a #cg_token the gateway refuses (forged or withdrawn) is dropped and the banner shown', async () => {
  const forged = makeToken({ site: SITE, sub: 's', cid: 'c', p: ['necessary', 'statistics'], exp: Date.now() / 1000 + 1e6 });
  const p = await load({ url: `https://www.shop.example/#cg_token=${forged}` });
  assert.equal(p.cookie(), undefined);
  assert.ok(p.$('#cg-banner'));
  assert.equal(p.$('#stats').getAttribute('type'), 'text/plain');
  assert.deepEqual(p.gw.beacons, []);
});
