import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadItem, removeItem, saveItem } from '../src/utils/storage.js';
import { page } from './support/env.js';

test('round-trips JSON', () => {
  const win = page();
  assert.equal(saveItem(win, 'k', { a: [1] }), true);
  assert.deepEqual(loadItem(win, 'k'), { a: [1] });
  removeItem(win, 'k');
  assert.equal(loadItem(win, 'k'), null);
});

test('garbage and unavailable storage read as null, writes report false', () => {
  const win = page();
  win.localStorage.setItem('k', '{not json');
  assert.equal(loadItem(win, 'k'), null);
  const blocked = { get localStorage() { throw new Error('SecurityError'); } };
  assert.equal(loadItem(blocked, 'k'), null);
  assert.equal(saveItem(blocked, 'k', 1), false);
  assert.doesNotThrow(() => removeItem(blocked, 'k'));
});
