import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSS } from '../src/core/styles.js';

test('accept and refuse have no rule of their own, so they look the same', () => {
  assert.doesNotMatch(CSS, /#cg-accept|#cg-refuse/);
  assert.match(CSS, /#cg-banner \.cg-btn\{/);
});

test('keyboard focus is visible and everything is scoped to the banner', () => {
  assert.match(CSS, /:focus-visible\{outline:3px solid/);
  for (const rule of CSS.split('\n')) {
    if (!rule.startsWith('@media')) assert.match(rule, /^#cg-banner/, rule);
  }
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
