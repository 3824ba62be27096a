// Test support: a jsdom page and an in-memory statistics API speaking the gateway's JSON.
import { JSDOM } from 'jsdom';

export const KEY = 'mk-secret-key-0123456789';

/** A jsdom window at the dashboard's address; `languages` as the browser would prefer them. */
export function page(o = {}) {
  const dom = new JSDOM('<!doctype html><html lang="fr"><head></head><body><div id="app"></div></body></html>',
    { url: 'https://gw.example/dashboard' });
  const win = dom.window;
  Object.defineProperty(win.navigator, 'languages', { value: o.languages || ['fr-FR', 'fr'] });
  return win;
}

export const SITE = { siteId: 'shop', name: 'Shop', timeZone: 'Europe/Paris', k: 5,
  purposes: ['necessary', 'statistics', 'prospecting'] };

function consent(from, to, compare) {
  const purposes = { necessary: { granted: 8, refused: 0, optInRate: 0.8 },
    statistics: { granted: 5, refused: 3, optInRate: 0.5 }, prospecting: { granted: 3, refused: 5, optInRate: 0.3 } };
  const totals = { notices: 10, choices: 8, acceptAll: 3, rejectAll: 2, custom: 2, gpc: 0, dismiss: 1, withdrawals: 0,
    purposes, interactionRate: 0.8 };
  return { siteId: 'shop', from, to, k: 5, visitorsAre: 'daily-unique', interval: 'day', purposes: SITE.purposes,
    buckets: [{ start: from, end: from, ...totals }], totals,
    ...(compare ? { previous: { from: '2026-11-01', to: '2026-11-07', totals: { ...totals, acceptAll: 1 } } } : {}) };
}

/** A fetch answering like the statistics API for the one key `KEY`; `calls` records every request. */
export function fakeApi(win) {
  const api = { calls: [] };
  const reply = (status, body, headers = {}) => ({ ok: status < 300, status, json: async () => body,
    text: async () => body, headers: { get: (n) => headers[n] || null } });
  win.fetch = async (url, init = {}) => {
    api.calls.push({ url, headers: init.headers || {} });
    if ((init.headers || {}).Authorization !== `Bearer ${KEY}`) return reply(401, { error: 'unauthorized' });
    const u = new URL(url, 'https://gw.example/dashboard');
    const q = Object.fromEntries(u.searchParams);
    if (init.headers.Accept === 'text/csv') {
      return reply(200, 'key,pageviews,visitors\r\n/a,8,6\r\n', {
        'Content-Disposition': 'attachment; filename="traffic-shop-page.csv"' });
    }
    if (u.pathname === '/v1/stats/sites') return reply(200, { sites: [SITE] });
    if (u.pathname.endsWith('/summary')) {
      return reply(200, { siteId: 'shop', from: q.from, to: q.to, timeZone: 'Europe/Paris', k: 5,
        visitorsAre: 'daily-unique', pageviews: 1234, visitors: 321, notices: 10, consentCoverage: 0.5,
        suppressedDays: 1,
        ...(q.compare ? { previous: { from: '2026-11-01', to: '2026-11-07', pageviews: 1000, visitors: 300,
          notices: 0, consentCoverage: 0.45, suppressedDays: 0 } } : {}) });
    }
    if (u.pathname.endsWith('/consent')) return reply(200, consent(q.from, q.to, q.compare));
    if (u.pathname.endsWith('/traffic')) {
      const rows = q.dimension === 'day' ? [{ key: q.to, pageviews: 20, visitors: 9 }]
        : Array.from({ length: Math.min(Number(q.limit || 100), 12 - Number(q.offset || 0)) },
          (_, i) => ({ key: `/p${i + Number(q.offset || 0)}`, pageviews: 30 - i, visitors: 20 - i }));
      return reply(200, { siteId: 'shop', from: q.from, to: q.to, k: 5, visitorsAre: 'daily-unique',
        dimension: q.dimension, rows, other: q.dimension === 'day' ? null : { key: '(other)', pageviews: 7, visitors: 6 },
        total: q.dimension === 'day' ? 1 : 12, suppressed: 3, asOf: '2026-11-26T10:00:00Z', daysRolledUp: 7 });
    }
    return reply(404, { error: 'not_found' });
  };
  return api;
}

/** Lets pending promises run. */
export async function settle(rounds = 20) {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
