import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeFragmentParam } from '../src/utils/fragment.js';
import { page } from './support/env.js';

const at = (url) => page({ url });

test('takes the parameter out of the address bar and returns it', () => {
  const win = at('https://www.shop.example/products?x=1#cg_token=v1.k.abc.sig');
  assert.equal(takeFragmentParam(win, 'cg_token'), 'v1.k.abc.sig');
  assert.equal(win.location.href, 'https://www.shop.example/products?x=1');
});

test('keeps the rest of the fragment, before or after it', () => {
  const before = at('https://www.shop.example/p#reviews&cg_token=t1');
  assert.equal(takeFragmentParam(before, 'cg_token'), 't1');
  assert.equal(before.location.hash, '#reviews');
  const after = at('https://www.shop.example/p#cg_token=t2&tab=2');
  assert.equal(takeFragmentParam(after, 'cg_token'), 't2');
  assert.equal(after.location.hash, '#tab=2');
});

test('decodes a percent-encoded value and tolerates a malformed one', () => {
  assert.equal(takeFragmentParam(at('https://s.example/#cg_token=a%2Eb'), 'cg_token'), 'a.b');
  assert.equal(takeFragmentParam(at('https://s.example/#cg_token=a%E0'), 'cg_token'), 'a%E0');
});

test('without the parameter: null, and the URL and history are left alone', () => {
  for (const url of ['https://s.example/p', 'https://s.example/p#top', 'https://s.example/p#xcg_token=1']) {
    const win = at(url);
    let replaced = false;
    win.history.replaceState = () => { replaced = true; };
    assert.equal(takeFragmentParam(win, 'cg_token'), null, url);
    assert.equal(win.location.href, url);
    assert.equal(replaced, false);
  }
});

test('keeps the history entry state', () => {
  const win = at('https://s.example/p#cg_token=t');
  win.history.replaceState({ page: 3 }, '', win.location.href);
  takeFragmentParam(win, 'cg_token');
  assert.deepEqual(win.history.state, { page: 3 });
  assert.equal(win.history.length, 1);
});
