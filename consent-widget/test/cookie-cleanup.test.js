import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteRefusedCookies } from '../src/core/cookie-cleanup.js';
import { CONFIG, page } from './support/env.js';

function jar() {
  const doc = page({ url: 'https://www.shop.example/' }).document;
  ['_ga=1; domain=shop.example', '_ga_ABC=2', '_gid=3', '_fbp=4; domain=www.shop.example', 'cg_consent=t', 'cart=5']
    .forEach((c) => { doc.cookie = `${c}; path=/`; });
  return doc;
}
const names = (doc) => doc.cookie.split('; ').map((c) => c.split('=')[0]).sort();

test('deletes the declared cookies (and prefixes) of refused purposes on the host and parent domains', () => {
  const doc = jar();
  deleteRefusedCookies(doc, 'www.shop.example', CONFIG.purposes, { necessary: true, statistics: false, prospecting: true });
  assert.deepEqual(names(doc), ['_fbp', '_gid', 'cart', 'cg_consent']);
});

test('keeps everything granted; withdrawal of all removes all declared ones but never the consent cookie', () => {
  const doc = jar();
  deleteRefusedCookies(doc, 'www.shop.example', CONFIG.purposes, { statistics: true, prospecting: true });
  assert.equal(names(doc).length, 6);
  deleteRefusedCookies(doc, 'www.shop.example', [...CONFIG.purposes, { id: 'x', cookies: ['cg_consent'] }], {});
  assert.deepEqual(names(doc), ['_gid', 'cart', 'cg_consent']);
});
