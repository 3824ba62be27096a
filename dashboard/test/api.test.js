import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, paths, ApiError } from '../src/utils/api.js';

function recorder(status = 200, body = {}, headers = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return { ok: status < 300, status, json: async () => body, text: async () => 'a,b\r\n',
      headers: { get: (n) => headers[n] || null } };
  };
  return { calls, fetch };
}

test('every call carries the key as a bearer header and never in its address', async () => {
  const r = recorder(200, { sites: [] });
  const api = client(r.fetch, 'secret-key');
  await api.sites();
  await api.summary('shop', { from: '2026-11-01', to: '2026-11-07' }, true);
  await api.consent('shop', { from: '2026-11-01', to: '2026-11-07' }, 'week', false);
  await api.traffic('shop', { from: '2026-11-01', to: '2026-11-07' }, 'page', 10, 20);
  assert.equal(r.calls.length, 4);
  for (const c of r.calls) {
    assert.equal(c.init.headers.Authorization, 'Bearer secret-key');
    assert.equal(c.init.credentials, 'omit');
    assert.ok(!c.url.includes('secret-key'), c.url);
    assert.ok(!c.url.startsWith('/') && !c.url.includes('//'), `relative to the dashboard: ${c.url}`);
  }
  assert.deepEqual(r.calls.map((c) => c.url), [
    'v1/stats/sites',
    'v1/stats/shop/summary?from=2026-11-01&to=2026-11-07&compare=previous',
    'v1/stats/shop/consent?from=2026-11-01&to=2026-11-07&interval=week',
    'v1/stats/shop/traffic?from=2026-11-01&to=2026-11-07&dimension=page&limit=10&offset=20',
  ]);
});

test('site ids are escaped in paths; offset 0 and absent options are left out', () => {
  assert.equal(paths.traffic('a b/c', { from: '2026-01-01', to: '2026-01-02' }, 'day'),
    'v1/stats/a%20b%2Fc/traffic?from=2026-01-01&to=2026-01-02&dimension=day');
  assert.equal(paths.traffic('s', { from: '2026-01-01', to: '2026-01-02' }, 'os', 10, 0),
    'v1/stats/s/traffic?from=2026-01-01&to=2026-01-02&dimension=os&limit=10');
});

test("a refusal becomes an ApiError with the gateway's status and code", async () => {
  const api = client(recorder(401, { error: 'unauthorized', message: 'unknown key' }).fetch, 'k');
  await assert.rejects(api.sites(), (e) => e instanceof ApiError && e.status === 401 && e.code === 'unauthorized'
    && e.message === 'unknown key');
});

test('CSV is asked for with Accept: text/csv and comes with the suggested file name', async () => {
  const r = recorder(200, null, { 'Content-Disposition': 'attachment; filename="summary-shop.csv"' });
  const out = await client(r.fetch, 'k').csv('v1/stats/shop/summary?from=2026-11-01&to=2026-11-07');
  assert.equal(r.calls[0].init.headers.Accept, 'text/csv');
  assert.equal(r.calls[0].init.headers.Authorization, 'Bearer k');
  assert.deepEqual(out, { text: 'a,b\r\n', filename: 'summary-shop.csv' });
  const bare = await client(recorder().fetch, 'k').csv('x');
  assert.equal(bare.filename, 'statistics.csv');
});
