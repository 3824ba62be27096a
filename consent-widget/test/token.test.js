import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToken } from '../src/utils/token.js';
import { base64url, makeToken } from './support/env.js';

const payload = { site: 'shop', sub: 's-1', cid: 'c-1', p: ['necessary', 'statistics'], exp: 1890000000, pv: '2026-11' };

test('decodes the payload without verifying the signature', () => {
  assert.deepEqual(decodeToken(makeToken(payload)), payload);
});

test('decodes UTF-8 and unpadded base64url of any length', () => {
  for (const pv of ['é', 'éé', 'ééé', 'version-ü-1']) {
    assert.equal(decodeToken(makeToken({ ...payload, pv })).pv, pv);
  }
});

test('malformed tokens give null', () => {
  const body = base64url(payload);
  for (const bad of [undefined, null, '', 'garbage', `v2.k.${body}.sig`, `v1.k.${body}`, `v1.k.${body}.`,
    `v1.k.${body}.sig.extra`, 'v1.k.!!!.sig', `v1.k.${Buffer.from('not json').toString('base64url')}.sig`,
    `v1.k.${base64url({ ...payload, p: 'statistics' })}.sig`, `v1.k.${base64url({ ...payload, exp: '1' })}.sig`,
    `v1.k.${base64url([1])}.sig`, `v1.k.${base64url(null)}.sig`]) {
    assert.equal(decodeToken(bad), null, String(bad));
  }
});
