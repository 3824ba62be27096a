import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFloatingButton } from '../src/core/floating-button.js';
import { page } from './support/env.js';

function setup() {
  const win = page({ lang: 'de' });
  let opened = 0;
  const toggle = createFloatingButton(win.document, () => opened++);
  return { doc: win.document, toggle, opened: () => opened };
}

test('a focusable button named by its visible label, in its own language, that opens the banner', () => {
  const { doc, toggle, opened } = setup();
  toggle(true, 'fr', 'Préférences cookies', 'n0nce');
  const fab = doc.getElementById('cg-fab');
  assert.equal(fab.tagName, 'BUTTON');
  assert.equal(fab.type, 'button');
  assert.equal(fab.textContent, 'Préférences cookies', 'the accessible name');
  assert.equal(fab.lang, 'fr');
  assert.notEqual(fab.tabIndex, -1);
  fab.focus();
  assert.equal(doc.activeElement, fab);
  fab.click();
  assert.equal(opened(), 1);
  assert.equal(doc.getElementById('cg-style').nonce, 'n0nce', 'styled even when no banner was shown');
});

test('taken off and put back as the same element, once', () => {
  const { doc, toggle } = setup();
  toggle(false, 'en', 'Cookie preferences');
  assert.equal(doc.getElementById('cg-fab'), null);
  toggle(true, 'en', 'Cookie preferences');
  const fab = doc.getElementById('cg-fab');
  toggle(false, 'en', 'Cookie preferences');
  assert.equal(doc.getElementById('cg-fab'), null);
  toggle(true, 'en', 'Cookie preferences');
  toggle(true, 'en', 'Cookie preferences');
  assert.equal(doc.getElementById('cg-fab'), fab);
  assert.equal(doc.querySelectorAll('#cg-fab').length, 1);
});
