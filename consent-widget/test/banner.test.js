import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openBanner } from '../src/core/banner.js';
import { textsFor } from '../src/i18n/index.js';
import { CONFIG, page } from './support/env.js';

function open(o = {}) {
  const win = page({ html: '<a href="/prefs" id="opener">Cookie preferences</a>' });
  const doc = win.document;
  doc.getElementById('opener').focus();
  const decisions = [];
  const handle = openBanner(doc, {
    texts: textsFor(o.locale || 'en', CONFIG.texts), locale: o.locale || 'en', purposes: o.purposes || CONFIG.purposes,
    controller: 'controller' in o ? o.controller : CONFIG.name,
    gpc: !!o.gpc, choices: o.choices, policyUrl: CONFIG.policy.url, nonce: 'n0nce',
    onDecide: (action, picks) => decisions.push({ action, picks }),
  });
  const $ = (sel) => doc.querySelector(sel);
  const key = (k, shiftKey = false) => doc.activeElement.dispatchEvent(
    new win.KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true, cancelable: true }));
  return { win, doc, $, key, decisions, handle };
}

test('an accessible dialog with focus inside and the stable ids', () => {
  const { doc, $ } = open();
  const banner = $('#cg-banner');
  assert.equal(banner.getAttribute('role'), 'dialog');
  assert.equal(banner.getAttribute('aria-modal'), 'true');
  assert.equal(doc.getElementById(banner.getAttribute('aria-labelledby')).textContent, 'Your privacy');
  assert.ok(doc.getElementById(banner.getAttribute('aria-describedby')).textContent.includes('consent'));
  assert.ok(banner.contains(doc.activeElement));
  for (const id of ['cg-accept', 'cg-refuse', 'cg-customise', 'cg-close', 'cg-prefs', 'cg-save']) assert.ok($(`#${id}`), id);
  assert.equal($('#cg-close').getAttribute('aria-label'), 'Close and refuse all');
  assert.equal($('#cg-desc a').href, CONFIG.policy.url);
  assert.equal($('#cg-prefs').hidden, true);
});

test('the first layer names the controller and the optional purposes, in English and in French', () => {
  const en = open().$('#cg-desc').textContent;
  assert.match(en, /^With your consent, Shop uses cookies and similar technologies for: Statistics, Prospecting\. /);
  assert.doesNotMatch(en, /Necessary/, 'no consent is asked for what is necessary');
  const fr = open({ locale: 'fr' }).$('#cg-desc').textContent;
  assert.match(fr, /^Avec votre accord, Shop utilise des cookies et technologies similaires pour\u00a0: Statistiques, Prospection\. /);
  assert.doesNotMatch(fr, /Nécessaires|\{/);
});

test('without a name or labels (no config): "this site" and the built-in labels', () => {
  const purposes = [{ id: 'necessary', required: true }, { id: 'statistics' }, { id: 'ads' }];
  assert.match(open({ controller: undefined, purposes }).$('#cg-desc').textContent,
    /With your consent, this site uses cookies and similar technologies for: Audience statistics, ads\. /);
  assert.match(open({ controller: null, purposes, locale: 'fr' }).$('#cg-desc').textContent,
    /Avec votre accord, ce site utilise .* pour\u00a0: Mesure d’audience, ads\. /);
});

test('the banner carries the lang of its texts, for both layers', () => {
  assert.equal(open({ locale: 'fr' }).$('#cg-banner').getAttribute('lang'), 'fr');
  const en = open();
  assert.equal(en.$('#cg-banner').getAttribute('lang'), 'en');
  assert.ok(en.$('#cg-banner').contains(en.$('#cg-prefs')));
});

test('"Accept all" and "Refuse all" are the same kind of button, side by side', () => {
  const { $ } = open();
  const accept = $('#cg-accept');
  const refuse = $('#cg-refuse');
  assert.equal(accept.tagName, 'BUTTON');
  assert.equal(accept.type, 'button');
  assert.equal(refuse.type, 'button');
  assert.equal(accept.className, refuse.className);
  assert.equal(accept.parentNode, refuse.parentNode);
  assert.equal(accept.getAttribute('style'), refuse.getAttribute('style'));
});

test('no pre-ticked boxes; necessary shown on and disabled; every box has a label', () => {
  const { doc, $ } = open();
  const boxes = [...doc.querySelectorAll('#cg-prefs input[type=checkbox]')];
  assert.deepEqual(boxes.map((b) => b.getAttribute('data-purpose')), ['necessary', 'statistics', 'prospecting']);
  assert.deepEqual(boxes.map((b) => b.checked), [true, false, false]);
  assert.deepEqual(boxes.map((b) => b.disabled), [true, false, false]);
  for (const b of boxes) assert.ok(doc.querySelector(`label[for="${b.id}"]`).textContent);
  assert.match($('#cg-p-necessary-d').textContent, /Always on/);
  assert.match($('#cg-p-statistics-d').textContent, /Audience measurement/);
});

test('GPC locks its purposes off', () => {
  const { $ } = open({ gpc: true });
  const box = $('input[data-purpose="prospecting"]');
  assert.equal(box.checked, false);
  assert.equal(box.disabled, true);
  assert.match($('#cg-p-prospecting-d').textContent, /Global Privacy Control/);
  assert.equal($('input[data-purpose="statistics"]').disabled, false);
});

test('re-opening shows the current choices', () => {
  const { $ } = open({ choices: { statistics: true, prospecting: false } });
  assert.equal($('input[data-purpose="statistics"]').checked, true);
  assert.equal($('input[data-purpose="prospecting"]').checked, false);
});

test('each button reports its action and closes, giving focus back', () => {
  for (const [id, action] of [['#cg-accept', 'accept_all'], ['#cg-refuse', 'reject_all'], ['#cg-close', 'dismiss']]) {
    const { doc, $, decisions } = open();
    $(id).click();
    assert.equal(decisions[0].action, action, id);
    assert.equal($('#cg-banner'), null);
    assert.equal(doc.activeElement.id, 'opener');
  }
});

test('customise, tick, save', () => {
  const { doc, $, decisions } = open();
  $('#cg-customise').click();
  assert.equal($('#cg-prefs').hidden, false);
  assert.equal($('#cg-main').hidden, true);
  assert.equal($('#cg-banner').getAttribute('aria-labelledby'), 'cg-prefs-title');
  assert.ok($('#cg-prefs').contains(doc.activeElement));
  $('input[data-purpose="statistics"]').click();
  $('#cg-save').click();
  assert.deepEqual(decisions, [{ action: 'custom', picks: { necessary: true, statistics: true, prospecting: false } }]);
});

test('Escape dismisses (a refusal) on the first layer and goes back on the second', () => {
  const first = open();
  first.key('Escape');
  assert.equal(first.decisions[0].action, 'dismiss');

  const second = open();
  second.$('#cg-customise').click();
  second.key('Escape');
  assert.equal(second.decisions.length, 0);
  assert.equal(second.$('#cg-main').hidden, false);
  assert.equal(second.$('#cg-prefs').hidden, true);
});

test('Tab and Shift+Tab cycle inside the dialog', () => {
  const { doc, $, key } = open();
  key('Tab', true); // from the heading backwards: the last control
  assert.equal(doc.activeElement.id, 'cg-customise');
  key('Tab');
  assert.equal(doc.activeElement.id, 'cg-close');
  key('Tab', true);
  assert.equal(doc.activeElement.id, 'cg-customise');
  $('#cg-customise').click();
  key('Tab', true);
  assert.equal(doc.activeElement.id, 'cg-save');
  key('Tab');
  assert.equal(doc.activeElement.id, 'cg-close');
});

test('focus that leaves the dialog is brought back', () => {
  const { doc, $ } = open();
  doc.getElementById('opener').focus();
  assert.ok($('#cg-banner').contains(doc.activeElement));
});

test('one stylesheet, carrying the page nonce; French texts with site overrides', () => {
  const { doc, $ } = open({ locale: 'fr' });
  assert.equal(doc.querySelectorAll('#cg-style').length, 1);
  assert.equal($('#cg-style').nonce, 'n0nce');
  assert.equal($('#cg-title').textContent, 'Vos cookies');
  assert.equal($('#cg-accept').textContent, 'Tout accepter');
  assert.equal($('label[for="cg-p-statistics"]').textContent, 'Statistiques');
});
