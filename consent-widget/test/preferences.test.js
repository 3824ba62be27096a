import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPreferences } from '../src/core/preferences.js';
import { GW, SITE, page } from './support/env.js';

/** A page whose form submissions are caught instead of navigating (jsdom does not navigate). */
function withSubmits(url) {
  const win = page({ url });
  const submitted = [];
  win.HTMLFormElement.prototype.submit = function submit() {
    submitted.push({
      method: this.method, action: this.action, target: this.target, hidden: this.hidden,
      fields: Object.fromEntries(new win.FormData(this)),
    });
  };
  return { win, submitted };
}

test('with a token: a POST to the preferences page with site, token and the URL to come back to', () => {
  const { win, submitted } = withSubmits('https://www.shop.example/cart?step=2#summary');
  openPreferences(win, GW, SITE, 'v1.k.payload.sig');
  assert.deepEqual(submitted, [{
    method: 'post', action: `${GW}/preferences`, target: '_self', hidden: true,
    fields: { site: SITE, token: 'v1.k.payload.sig', return: 'https://www.shop.example/cart?step=2' },
  }]);
});

test('without a token: GET /preferences?site=…, nothing else in the URL', () => {
  const { win, submitted } = withSubmits('https://www.shop.example/');
  openPreferences(win, GW, SITE, null);
  assert.deepEqual(submitted, [{
    method: 'get', action: `${GW}/preferences`, target: '_self', hidden: true, fields: { site: SITE },
  }]);
});
