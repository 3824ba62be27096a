// Test support: a jsdom page and an in-memory gateway speaking the widget's part of the v1 API.
import { JSDOM } from 'jsdom';

export const SITE = 'shop';
export const GW = 'https://gw.example';

/** Options: url, html (body), lang, languages, gpc, cookie (one or a list), storage {key: text}, dataLayer. */
export function page(o = {}) {
  const dom = new JSDOM(`<!doctype html><html lang="${o.lang || ''}"><head></head><body>${o.html || ''}</body></html>`,
    { url: o.url || 'https://www.shop.example/products' });
  const win = dom.window;
  if (o.languages) Object.defineProperty(win.navigator, 'languages', { value: o.languages });
  if (o.gpc) Object.defineProperty(win.navigator, 'globalPrivacyControl', { value: true });
  [].concat(o.cookie || []).forEach((c) => { win.document.cookie = c; });
  Object.entries(o.storage || {}).forEach(([k, v]) => win.localStorage.setItem(k, v));
  if (o.dataLayer) win.dataLayer = [];
  return win;
}

/** Records every write to document.cookie while still storing it. */
export function spyCookies(doc) {
  const writes = [];
  let proto = doc;
  while (!Object.getOwnPropertyDescriptor(proto, 'cookie')) proto = Object.getPrototypeOf(proto);
  const desc = Object.getOwnPropertyDescriptor(proto, 'cookie');
  Object.defineProperty(doc, 'cookie', {
    configurable: true,
    get: () => desc.get.call(doc),
    set: (v) => { writes.push(v); desc.set.call(doc, v); },
  });
  return writes;
}

export function base64url(obj) {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

export function makeToken(payload) {
  return `v1.k1.${base64url(payload)}.c2ln`;
}

export const CONFIG = {
  siteId: SITE,
  name: 'Shop',
  policy: { version: '2026-11', url: 'https://www.shop.example/privacy' },
  locales: ['fr', 'en'],
  purposes: [
    { id: 'necessary', required: true, labels: { en: 'Necessary', fr: 'Nécessaires' }, descriptions: {}, cookies: [] },
    { id: 'statistics', required: false, gpc: false, labels: { en: 'Statistics', fr: 'Statistiques' },
      descriptions: { en: 'Audience measurement', fr: 'Mesure d’audience' }, cookies: ['_ga', '_ga_*'] },
    { id: 'prospecting', required: false, gpc: true, labels: { en: 'Prospecting', fr: 'Prospection' },
      descriptions: {}, cookies: ['_fbp'] },
  ],
  texts: { fr: { title: 'Vos cookies' } },
  consentMode: { statistics: ['analytics_storage'], prospecting: ['ad_storage', 'ad_user_data', 'ad_personalization'] },
  preferencesUrl: `${GW}/preferences?site=${SITE}`,
};

const METHODS = ['accept_all', 'reject_all', 'custom', 'gpc', 'dismiss'];

/**
 * An in-memory gateway installed as win.fetch. `down = true` makes every call fail like a lost network.
 * Keeps consents, refuses unknown or withdrawn (deleted from `valid`) tokens with 401, also as the bearer of a
 * record call, and checks a record like the gateway: the subject comes from the bearer token (a body subjectId
 * that is not the token's is a 401), an Idempotency-Key is bound to the body and the token that presented it
 * (422 otherwise), the method must agree with the choices (400).
 */
export function fakeGateway(win, o = {}) {
  const gw = {
    down: !!o.down,
    config: o.config === undefined ? CONFIG : o.config,
    calls: [],
    consents: [], // accepted bodies, one per recorded consent
    valid: new Map(), // token → record
    renewRequired: false,
    beacons: [],
    byKey: new Map(),
  };
  let n = 0;
  const reply = (status, body) => ({ status, json: async () => body });

  function record(siteId, subjectId, choices, extra) {
    n++;
    const granted = Object.keys(choices).filter((k) => choices[k]);
    const expiresAt = new Date(Math.floor(Date.now() / 1000 + 400 * 86400) * 1000).toISOString();
    const cid = `c-${n}`;
    const sub = subjectId || `s-${n}`;
    const token = makeToken({ site: siteId, sub, cid, p: ['necessary', ...granted], exp: Date.parse(expiresAt) / 1000, pv: '2026-11' });
    const rec = { consentId: cid, subjectId: sub, choices: { necessary: true, ...choices }, givenAt: new Date().toISOString(),
      expiresAt, policyVersion: '2026-11', token, ...extra };
    gw.valid.set(token, rec);
    return rec;
  }
  gw.issue = (choices, subjectId) => record(SITE, subjectId, choices).token;
  function invalid({ method, choices = {} }) {
    const purposes = (gw.config || CONFIG).purposes;
    const optional = purposes.filter((p) => !p.required).map((p) => p.id);
    if (Object.keys(choices).some((id) => !purposes.some((p) => p.id === id))) return 'unknown_purpose';
    if (!METHODS.includes(method)) return 'invalid_method';
    if (method === 'accept_all' && optional.some((id) => choices[id] !== true)) return 'method_mismatch';
    if ((method === 'reject_all' || method === 'dismiss') && optional.some((id) => choices[id] === true)) return 'method_mismatch';
    return null;
  }

  win.fetch = async (url, init = {}) => {
    const method = init.method || 'GET';
    const body = init.body ? JSON.parse(init.body) : undefined;
    const headers = init.headers || {};
    gw.calls.push({ method, url, body, headers });
    if (gw.down) throw new TypeError('Failed to fetch');
    const path = url.slice(GW.length);
    const auth = (headers.Authorization || '').replace('Bearer ', '');
    if (path === `/v1/sites/${SITE}/config`) return gw.config ? reply(200, gw.config) : reply(404, { error: 'not_found' });
    if (path.startsWith('/v1/sites/') && path.endsWith('/config')) return reply(404, { error: 'not_found' });
    if (path === `/v1/sites/${SITE}/notices`) return reply(201, { noticeId: `n-${gw.calls.length}` });
    if (path === '/v1/consents') {
      const key = headers['Idempotency-Key'];
      const seen = key && gw.byKey.get(key);
      if (seen) return seen.bound === auth + init.body ? reply(201, seen.rec) : reply(422, { error: 'idempotency_key_reused' });
      const holder = auth && gw.valid.get(auth);
      if (auth && !holder) return reply(401, { error: 'invalid_token' });
      if ('subjectId' in body && body.subjectId !== (holder && holder.subjectId)) return reply(401, { error: 'invalid_token' });
      const problem = invalid(body);
      if (problem) return reply(400, { error: problem });
      gw.consents.push({ ...body, key });
      const rec = record(body.siteId, holder && holder.subjectId, body.choices);
      if (key) gw.byKey.set(key, { rec, bound: auth + init.body });
      return reply(201, rec);
    }
    if (path === `/v1/consents/current?site=${SITE}`) {
      const rec = gw.valid.get(auth);
      if (!rec) return reply(401, { error: 'invalid_token' });
      return reply(200, gw.renewRequired ? { ...rec, renewRequired: true } : rec);
    }
    if (path === '/v1/consents/withdraw') {
      const rec = gw.valid.get(auth);
      if (!rec) return reply(401, { error: 'invalid_token' });
      gw.valid.delete(auth);
      const refused = {};
      Object.keys(rec.choices).forEach((k) => { if (k !== 'necessary') refused[k] = false; });
      return reply(200, record(SITE, rec.subjectId, refused));
    }
    if (path === '/v1/collect') {
      gw.beacons.push(body || JSON.parse(init.body));
      return reply(202, null);
    }
    return reply(404, { error: 'not_found' });
  };
  win.navigator.sendBeacon = (url, data) => {
    gw.calls.push({ method: 'BEACON', url });
    gw.beacons.push(JSON.parse(data));
    return true;
  };
  return gw;
}

/** Lets pending promises and zero-delay timers run. */
export async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
