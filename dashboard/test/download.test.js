import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileName, saveText } from '../src/utils/download.js';
import { page } from './support/env.js';

test('the file name carries the range and nothing a file system dislikes', () => {
  assert.equal(fileName('traffic-shop-page.csv', { from: '2026-11-01', to: '2026-11-07' }),
    'traffic-shop-page_2026-11-01_2026-11-07.csv');
  assert.equal(fileName('a b/c.CSV', { from: '2026-11-01', to: '2026-11-01' }), 'a-b-c_2026-11-01_2026-11-01.csv');
});

test('the text is saved through a blob URL and an <a download> that does not stay in the page', async () => {
  const win = page();
  const made = [];
  const revoked = [];
  win.URL.createObjectURL = (blob) => {
    made.push(blob);
    return 'blob:https://gw.example/1';
  };
  win.URL.revokeObjectURL = (u) => revoked.push(u);
  let clicked = null;
  win.HTMLAnchorElement.prototype.click = function click() {
    clicked = { href: this.href, download: this.download, inPage: this.isConnected };
  };
  win.setTimeout = (fn) => fn();
  saveText(win, 'key,pageviews,visitors\r\n', 'x.csv');
  assert.deepEqual(clicked, { href: 'blob:https://gw.example/1', download: 'x.csv', inPage: true });
  const read = await new Promise((resolve) => {
    const reader = new win.FileReader();
    reader.onload = () => resolve(reader.result);
    reader.readAsText(made[0]);
  });
  assert.equal(read, 'key,pageviews,visitors\r\n');
  assert.equal(made[0].type, 'text/csv;charset=utf-8');
  assert.equal(win.document.querySelectorAll('a').length, 0);
  assert.deepEqual(revoked, ['blob:https://gw.example/1']);
});
