import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGateway } from '../src/core/gateway.js';
import { GW, page } from './support/env.js';

function recording(status, body) {
  const win = page();
  const calls = [];
  win.fetch = async (url, init) => {
    calls.push({ url, ...init });
    return { status, json: async () => body };
  };
  return { win, calls };
}

test('calls the v1 paths with JSON bodies and the right headers', async () => {
  const { win, calls } = recording(201, { ok: 1 });
  const gw = createGateway(win, GW, 'my site');
  assert.deepEqual(await gw.config(), { status: 201, body: { ok: 1 } });
  await gw.notice({ policyVersion: 'v', locale: 'fr' });
  await gw.record({ siteId: 'my site' }, 'key-1');
  await gw.current('tok');
  await gw.withdraw('tok');
  assert.deepEqual(calls.map((c) => `${c.method} ${c.url}`), [
    `GET ${GW}/v1/sites/my%20site/config`,
    `POST ${GW}/v1/sites/my%20site/notices`,
    `POST ${GW}/v1/consents`,
    `GET ${GW}/v1/consents/current?site=my%20site`,
    `POST ${GW}/v1/consents/withdraw`,
  ]);
  assert.equal(calls[2].headers['Idempotency-Key'], 'key-1');
  assert.equal(calls[2].headers['Content-Type'], 'application/json');
  assert.equal(calls[2].headers.Authorization, undefined, 'no token: a new subject');
  assert.equal(calls[3].headers.Authorization, 'Bearer tok');
  assert.ok(!calls[3].body);
  assert.deepEqual(JSON.parse(calls[4].body), { siteId: 'my site' });
  assert.ok(calls.every((c) => c.credentials === 'omit'));
});

test('a record with a token proves the subject with it as bearer', async () => {
  const { win, calls } = recording(201, {});
  await createGateway(win, GW, 's').record({ siteId: 's' }, 'key-2', 'tok');
  assert.equal(calls[0].headers.Authorization, 'Bearer tok');
  assert.equal(calls[0].headers['Idempotency-Key'], 'key-2');
});

test('an error status resolves; a body that is not JSON reads as null', async () => {
  const win = page();
  win.fetch = async () => ({ status: 401, json: async () => { throw new SyntaxError('x'); } });
  assert.deepEqual(await createGateway(win, GW, 's').current('t'), { status: 401, body: null });
});

test('an unreachable gateway rejects', async () => {
  const win = page();
  win.fetch = async () => { throw new TypeError('Failed to fetch'); };
  await assert.rejects(createGateway(win, GW, 's').config());
});

test('beacons go through sendBeacon as text, else fetch keepalive', () => {
  const { win, calls } = recording(202, null);
  const sent = [];
  win.navigator.sendBeacon = (url, data) => { sent.push({ url, data }); return true; };
  createGateway(win, GW, 's').collect({ type: 'pageview' });
  assert.deepEqual(sent, [{ url: `${GW}/v1/collect`, data: '{"type":"pageview"}' }]);
  assert.equal(calls.length, 0);

  win.navigator.sendBeacon = () => false; // queue full
  createGateway(win, GW, 's').collect({ type: 'event' });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].keepalive, true);
  assert.equal(calls[0].headers['Content-Type'], 'text/plain');
});
