import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from '../src/utils/dom.js';
import { page } from './support/env.js';

test('attributes, listeners and children in one call; null and false attributes or children left out', () => {
  const { document: doc } = page();
  let clicked = 0;
  const el = h(doc, 'button', { type: 'button', disabled: false, hidden: true, title: null, click: () => clicked++ },
    'Save', null, h(doc, 'span', {}, '!'));
  assert.equal(el.outerHTML, '<button type="button" hidden="">Save<span>!</span></button>');
  el.click();
  assert.equal(clicked, 1);
});
