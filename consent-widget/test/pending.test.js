import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPending } from '../src/core/pending.js';
import { page } from './support/env.js';

function sender(...outcomes) {
  const sent = [];
  const send = async (body, key) => {
    sent.push({ body, key });
    const o = outcomes.shift();
    if (o instanceof Error) throw o;
    return o;
  };
  return { sent, send };
}
const created = { status: 201, body: { consentId: 'c1', token: 't1' } };

test('keeps the choice with one key until the gateway answers 201, reusing the key on every retry', async () => {
  const win = page();
  const { sent, send } = sender(new TypeError('offline'), { status: 503, body: null }, created);
  const pending = createPending(win, send);
  const { key } = pending.put({ method: 'accept_all' });
  assert.match(key, /^[0-9a-f-]{36}$/);
  assert.deepEqual(JSON.parse(win.localStorage.getItem('cg_pending')), { key, body: { method: 'accept_all' } });

  assert.equal(await pending.flush(), null);
  assert.equal(await createPending(win, send).flush(), null, 'a reload retries from storage');
  assert.deepEqual(await pending.flush(), { key, record: created.body });
  assert.deepEqual(sent.map((s) => s.key), [key, key, key]);
  assert.equal(pending.get(), null);
  assert.equal(win.localStorage.getItem('cg_pending'), null);
  assert.equal(await pending.flush(), null, 'nothing left to send');
  assert.equal(sent.length, 3);
});

test('concurrent flushes send once', async () => {
  const { sent, send } = sender(created);
  const pending = createPending(page(), send);
  pending.put({});
  const [a, b] = await Promise.all([pending.flush(), pending.flush()]);
  assert.equal(sent.length, 1);
  assert.equal(a, b);
});

test('a 4xx refusal drops the choice for good', async () => {
  const { send } = sender({ status: 400, body: { error: 'unknown_purpose' } });
  const pending = createPending(page(), send);
  pending.put({});
  assert.deepEqual(await pending.flush(), { dropped: true });
  assert.equal(pending.get(), null);
});

test('a newer choice made during the request stays pending under its own key', async () => {
  let release;
  const pending = createPending(page(), (body, key) => new Promise((r) => { release = () => r(created); }));
  pending.put({ n: 1 });
  const flushing = pending.flush((b) => ({ ...b, prepared: true }));
  const newer = pending.put({ n: 2 });
  release();
  assert.equal((await flushing).record.token, 't1');
  assert.deepEqual(pending.get(), newer);
});

test('prepare shapes the body at send time', async () => {
  const { sent, send } = sender(created);
  const pending = createPending(page(), send);
  pending.put({ n: 1 });
  await pending.flush((b) => ({ ...b, policyVersion: 'v2' }));
  assert.deepEqual(sent[0].body, { n: 1, policyVersion: 'v2' });
});

test('a 401 the caller answers by dropping its token: sent once more under a new key, then given up', async () => {
  const unauthorized = { status: 401, body: { error: 'invalid_token' } };
  const { sent, send } = sender(unauthorized, unauthorized);
  let asked = 0;
  const pending = createPending(page(), send, () => ++asked === 1);
  const { key } = pending.put({ n: 1 });
  assert.deepEqual(await pending.flush(), { dropped: true });
  assert.equal(sent.length, 2, 'once more, not in a loop');
  assert.equal(sent[0].key, key);
  assert.notEqual(sent[1].key, key);
  assert.deepEqual(sent[1].body, sent[0].body);
  assert.equal(pending.get(), null);
});

test('a 401 retried under a new key that then succeeds', async () => {
  const { sent, send } = sender({ status: 401, body: null }, created);
  const pending = createPending(page(), send, () => true);
  pending.put({ n: 1 });
  assert.deepEqual(await pending.flush(), { key: sent[1].key, record: created.body });
  assert.equal(sent.length, 2);
});

test('a 401 with no token to drop is a refusal like any 4xx', async () => {
  const { sent, send } = sender({ status: 401, body: null });
  const pending = createPending(page(), send);
  pending.put({ n: 1 });
  assert.deepEqual(await pending.flush(), { dropped: true });
  assert.equal(sent.length, 1);
});
