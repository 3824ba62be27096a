import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSS, injectStyle } from '../src/core/styles.js';
import { page } from './support/env.js';

test('accept and refuse have no rule of their own, so they look the same', () => {
  assert.doesNotMatch(CSS, /#cg-accept|#cg-refuse/);
  assert.match(CSS, /#cg-banner \.cg-btn\{/);
});

test('keyboard focus is visible and everything is scoped to the banner or the floating button', () => {
  assert.match(CSS, /#cg-banner :focus-visible,#cg-fab:focus-visible\{outline:3px solid/);
  for (const rule of CSS.split('\n')) {
    if (!rule.startsWith('@media')) assert.match(rule, /^#cg-(banner|fab)\b/, rule);
  }
});

test('the floating button is fixed bottom-left, above the page, large enough to hit', () => {
  const fab = CSS.match(/^#cg-fab\{([^}]*)\}/m)[1];
  for (const decl of ['position:fixed', 'left:1rem', 'bottom:1rem', 'min-height:44px']) assert.ok(fab.includes(decl), decl);
});

test('the stylesheet goes in once, with the nonce', () => {
  const { document: doc } = page();
  injectStyle(doc, 'n0nce');
  injectStyle(doc, 'other');
  assert.equal(doc.querySelectorAll('style#cg-style').length, 1);
  assert.equal(doc.getElementById('cg-style').nonce, 'n0nce');
  assert.equal(doc.getElementById('cg-style').textContent, CSS);
});

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);

test('the colours used meet WCAG AA against white', () => {
  for (const colour of new Set(CSS.match(/#[0-9a-f]{6}\b/g))) {
    assert.ok(contrast(colour, '#ffffff') >= 4.5, colour);
  }
});
