import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { eventId, uuid } from '../src/utils/uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// the Web Crypto object is passed in: Node 18 (Debian 12's nodejs) has no global `crypto`, browsers and Node 20 do
test('uses crypto.randomUUID when available', () => {
  assert.match(uuid(webcrypto), V4);
  assert.equal(uuid({ randomUUID: () => 'fixed' }), 'fixed');
});

test('builds a version-4 UUID from random bytes on insecure pages', () => {
  const crypto = { getRandomValues: (a) => webcrypto.getRandomValues(a) };
  const ids = new Set(Array.from({ length: 50 }, () => uuid(crypto)));
  assert.equal(ids.size, 50);
  ids.forEach((id) => assert.match(id, V4));
});

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('event ids are version-7 UUIDs that carry the minute, not the millisecond', () => {
  const at = Date.UTC(2026, 11, 8, 4, 30, 17, 123);
  const id = eventId(webcrypto, at);
  assert.match(id, V7);
  const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  assert.equal(ms, Date.UTC(2026, 11, 8, 4, 30, 0, 0));
});

test('event ids of one minute differ, and those of a later minute sort after them', () => {
  const at = Date.UTC(2026, 11, 8, 4, 30, 59, 999);
  const ids = new Set(Array.from({ length: 200 }, () => eventId(webcrypto, at)));
  assert.equal(ids.size, 200);
  const later = eventId(webcrypto, at + 1);
  ids.forEach((id) => assert.ok(id < later, `${id} sorts before ${later}`));
});
