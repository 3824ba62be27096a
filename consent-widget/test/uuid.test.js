import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { uuid } from '../src/utils/uuid.js';

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
