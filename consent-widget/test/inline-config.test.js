import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INLINE_CONFIG_MARK, inlinedConfig } from '../src/core/inline-config.js';
import { CONFIG, SITE } from './support/env.js';

test('an inlined config is used only when it is an object for this very site', () => {
  assert.equal(inlinedConfig(CONFIG, SITE), CONFIG);
  assert.equal(inlinedConfig(INLINE_CONFIG_MARK, SITE), null, 'the plain consent.js keeps the placeholder');
  assert.equal(inlinedConfig(CONFIG, 'other'), null);
  assert.equal(inlinedConfig({ siteId: SITE }, SITE), null, 'no purposes: not a config');
  assert.equal(inlinedConfig(null, SITE), null);
  assert.equal(inlinedConfig(undefined, SITE), null);
});
