import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieNames, deleteCookie, readCookie, writeCookie } from '../src/utils/cookies.js';
import { page, spyCookies } from './support/env.js';

test('reads a cookie by exact name', () => {
  const doc = page({ cookie: 'a_b=1' }).document;
  doc.cookie = 'a=x.y-z_';
  assert.equal(readCookie(doc, 'a'), 'x.y-z_');
  assert.equal(readCookie(doc, 'a_b'), '1');
  assert.equal(readCookie(doc, 'b'), null);
  assert.deepEqual(cookieNames(doc).sort(), ['a', 'a_b']);
});

test('writes with the given expiry, path /, SameSite=Lax and Secure on https', () => {
  const doc = page().document;
  const writes = spyCookies(doc);
  const expires = new Date('2027-12-01T10:00:00Z');
  assert.equal(writeCookie(doc, 'cg_consent', 'v1.k.p.s', expires, true), true);
  assert.equal(writes.length, 1);
  assert.match(writes[0], /^cg_consent=v1\.k\.p\.s; expires=Wed, 01 Dec 2027 10:00:00 GMT; path=\/; SameSite=Lax; Secure$/);
  assert.equal(readCookie(doc, 'cg_consent'), 'v1.k.p.s');
});

test('no Secure flag on plain http', () => {
  const doc = page({ url: 'http://localhost:8000/' }).document;
  const writes = spyCookies(doc);
  writeCookie(doc, 'c', 'v', new Date(Date.now() + 1e6), false);
  assert.doesNotMatch(writes[0], /Secure/);
});

test('never rewrites a cookie that already holds the value, so its expiry cannot move', () => {
  const doc = page().document;
  writeCookie(doc, 'cg_consent', 'tok', new Date(Date.now() + 1e9), true);
  const writes = spyCookies(doc);
  assert.equal(writeCookie(doc, 'cg_consent', 'tok', new Date(Date.now() + 2e9), true), false);
  assert.deepEqual(writes, []);
  assert.equal(writeCookie(doc, 'cg_consent', 'other', new Date(Date.now() + 1e9), true), true);
  assert.equal(writes.length, 1);
});

test('deletes on the host and on parent domains', () => {
  const doc = page({ url: 'https://www.shop.example/' }).document;
  doc.cookie = '_ga=1; path=/; domain=shop.example';
  doc.cookie = '_gid=2; path=/';
  const writes = spyCookies(doc);
  deleteCookie(doc, '_ga', 'www.shop.example');
  deleteCookie(doc, '_gid', 'www.shop.example');
  assert.equal(readCookie(doc, '_ga'), null);
  assert.equal(readCookie(doc, '_gid'), null);
  assert.ok(writes.some((w) => w.startsWith('_ga=;') && w.includes('domain=shop.example')));
  assert.ok(writes.some((w) => w.includes('domain=www.shop.example')));
  assert.ok(!writes.some((w) => w.endsWith('domain=example')), 'never a top-level domain');
});
