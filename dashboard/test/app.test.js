import { test } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../src/core/app.js';
import { page, fakeApi, settle, KEY } from './support/env.js';

const NOW = Date.parse('2026-11-26T11:00:00Z');

function boot(o = {}) {
  const win = page(o);
  const api = fakeApi(win);
  const drawn = [];
  const draw = (canvas, kind, series) => {
    drawn.push({ id: canvas.id, kind, series, live: true });
    const d = drawn[drawn.length - 1];
    return { destroy: () => { d.live = false; } };
  };
  const app = start(win, win.document.getElementById('app'), draw, () => new Date(NOW));
  return { win, doc: win.document, api, drawn, app };
}

async function signIn(doc, key) {
  doc.getElementById('key').value = key;
  doc.getElementById('signin-form').requestSubmit();
  await settle();
}

test('a wrong key is refused with a message tied to the field; the right one is kept in sessionStorage only', async () => {
  const { win, doc, api } = boot();
  assert.equal(doc.body.dataset.state, 'signin');
  assert.equal(doc.getElementById('key').type, 'password');
  await signIn(doc, 'wrong');
  assert.equal(doc.getElementById('key-error').textContent, 'Clé inconnue ou révoquée.');
  assert.equal(doc.getElementById('key').getAttribute('aria-describedby'), 'key-error key-hint');
  assert.equal(doc.activeElement.id, 'key');
  assert.equal(win.sessionStorage.getItem('cg-dashboard-key'), null);
  await signIn(doc, KEY);
  assert.equal(doc.body.dataset.state, 'ready');
  assert.equal(win.sessionStorage.getItem('cg-dashboard-key'), KEY);
  assert.equal(win.localStorage.length, 0);
  assert.ok(api.calls.length > 8);
  for (const c of api.calls) assert.ok(!c.url.includes(KEY), c.url);
  assert.ok(api.calls.slice(1).every((c) => c.headers.Authorization === `Bearer ${KEY}`));
});

test('signed in: tiles, three charts with their tables, seven dimension tables with (other) and the fold count', async () => {
  const { doc, drawn } = boot();
  await signIn(doc, KEY);
  const text = (sel) => doc.querySelector(sel).textContent.replace(/[\u00a0\u202f]/g, ' ');
  assert.equal(text('#tile-pageviews .tile-value'), '1 234');
  assert.equal(text('#tile-visitors .tile-label'), 'Visiteurs (uniques par jour)');
  assert.equal(text('#tile-coverage .tile-value'), '50 %');
  assert.match(text('#daily-uniques'), /^Les visiteurs sont comptés en uniques par jour, additionnés sur les jours\./);
  assert.match(text('#suppressed-days'), /1 jour sous k = 5/);
  assert.deepEqual(drawn.map((d) => d.kind), ['optIn', 'choices', 'traffic']);
  assert.match(doc.getElementById('chart-choices-canvas').getAttribute('aria-label'), /Tout accepter 3/);
  assert.equal(doc.querySelectorAll('#chart-optin-data tbody tr').length, 1);
  assert.equal(doc.querySelectorAll('section.traffic').length, 7);
  assert.equal(doc.querySelectorAll('#table-page tbody tr').length, 10);
  assert.equal(text('#table-page tfoot th'), '(autres)');
  assert.equal(text('#table-page-suppressed'), '3 regroupés sous k = 5');
  assert.equal(text('#table-page-shown'), '10 sur 12');
});

test('the period starts as the last 7 days of the site, and presets, dates and comparison ask again', async () => {
  const { doc, api } = boot();
  await signIn(doc, KEY);
  assert.equal(doc.getElementById('from').value, '2026-11-20');
  assert.equal(doc.getElementById('to').value, '2026-11-26');
  doc.getElementById('from').value = '2026-11-23';
  doc.getElementById('to').value = '2026-11-25';
  doc.getElementById('controls').requestSubmit();
  await settle();
  assert.ok(doc.getElementById('preset-custom').checked);
  assert.ok(api.calls.some((c) => c.url.includes('summary?from=2026-11-23&to=2026-11-25')));
  doc.getElementById('compare').click();
  await settle();
  assert.ok(api.calls.some((c) => c.url.includes('summary?from=2026-11-23&to=2026-11-25&compare=previous')));
  assert.ok(api.calls.some((c) => c.url.includes('traffic?from=2026-11-20&to=2026-11-22&dimension=day')),
    'the previous days for the traffic chart');
  assert.match(doc.querySelector('#tile-pageviews .tile-delta').textContent, /\+23,4/);
  doc.getElementById('from').value = '2026-11-26';
  doc.getElementById('controls').requestSubmit();
  await settle();
  assert.equal(doc.getElementById('range-error').textContent, 'La date de début est après la date de fin.');
});

test('show more asks for the next page and keeps focus on the button while there is more', async () => {
  const { doc, api } = boot();
  await signIn(doc, KEY);
  doc.getElementById('table-page-more').focus();
  doc.getElementById('table-page-more').click();
  await settle();
  assert.ok(api.calls.some((c) => c.url.endsWith('dimension=page&limit=10&offset=10')));
  assert.equal(doc.querySelectorAll('#table-page tbody tr').length, 12);
  assert.equal(doc.getElementById('table-page-more'), null, 'all 12 shown');
  assert.equal(doc.activeElement.id, 'table-page-title');
});

test('English switches texts and lang, redraws the charts and keeps the focus on the switch', async () => {
  const { doc, drawn } = boot();
  await signIn(doc, KEY);
  doc.getElementById('lang').focus();
  doc.getElementById('lang').click();
  assert.equal(doc.documentElement.lang, 'en');
  assert.equal(doc.getElementById('lang').textContent, 'Français');
  assert.equal(doc.getElementById('lang').getAttribute('lang'), 'fr');
  assert.equal(doc.activeElement.id, 'lang');
  assert.match(doc.getElementById('daily-uniques').textContent, /^Visitors are counted as daily uniques, summed over days\./);
  assert.equal(doc.querySelector('#table-page tfoot th').textContent, '(other)');
  assert.equal(drawn.filter((d) => d.live).length, 3, 'old charts destroyed');
  assert.equal(doc.title, 'Dashboard · Consent Gateway');
});

test('an English browser starts in English; sign out forgets the key', async () => {
  const { win, doc } = boot({ languages: ['en-GB'] });
  assert.equal(doc.documentElement.lang, 'en');
  await signIn(doc, KEY);
  doc.getElementById('signout').click();
  assert.equal(win.sessionStorage.getItem('cg-dashboard-key'), null);
  assert.equal(doc.body.dataset.state, 'signin');
  assert.equal(doc.activeElement.id, 'key');
});

test('CSV buttons fetch with the key and save the file with the range in its name', async () => {
  const { win, doc, api } = boot();
  await signIn(doc, KEY);
  const saved = [];
  win.URL.createObjectURL = () => 'blob:x';
  win.URL.revokeObjectURL = () => {};
  win.HTMLAnchorElement.prototype.click = function click() {
    saved.push(this.download);
  };
  doc.getElementById('table-page-csv').click();
  await settle();
  const call = api.calls[api.calls.length - 1];
  assert.equal(call.headers.Accept, 'text/csv');
  assert.ok(call.url.endsWith('dimension=page&limit=1000'), call.url);
  assert.deepEqual(saved, ['traffic-shop-page_2026-11-20_2026-11-26.csv']);
});

test('a key kept from before signs in by itself; one revoked since sends back to the form', async () => {
  const win = page();
  win.sessionStorage.setItem('cg-dashboard-key', 'revoked');
  fakeApi(win);
  start(win, win.document.getElementById('app'), () => ({ destroy() {} }));
  await settle();
  assert.equal(win.document.getElementById('key-error').textContent, 'Clé inconnue ou révoquée.');
  assert.equal(win.sessionStorage.getItem('cg-dashboard-key'), null);
});
