import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracker } from '../src/core/analytics.js';
import { page } from './support/env.js';

function setup(token) {
  const win = page({ url: 'https://www.shop.example/p?x=1' });
  const sent = [];
  let current = token;
  const tracker = createTracker(win, (b) => sent.push(b), 'shop', () => current);
  return { sent, tracker, grant: (t) => { current = t; } };
}

test('sends nothing without a granted token', () => {
  const { sent, tracker } = setup(null);
  tracker.pageview();
  tracker.track('signup', { plan: 'pro' });
  assert.deepEqual(sent, []);
});

test('one pageview per page, the first time consent allows it', () => {
  const { sent, tracker, grant } = setup(null);
  tracker.pageview();
  grant('tok');
  tracker.pageview();
  tracker.pageview();
  assert.equal(sent.length, 1);
  const [b] = sent;
  assert.equal(b.siteId, 'shop');
  assert.equal(b.token, 'tok');
  assert.equal(b.type, 'pageview');
  assert.equal(b.url, 'https://www.shop.example/p?x=1');
  assert.deepEqual(Object.keys(b.screen), ['w', 'h']);
  // time-ordered (version 7): beacons of one minute land together in the gateway's primary key
  assert.match(b.eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('custom events carry name and props, each with its own event id', () => {
  const { sent, tracker } = setup('tok');
  tracker.track('signup', { plan: 'pro' });
  tracker.track('signup');
  assert.equal(sent[0].type, 'event');
  assert.equal(sent[0].name, 'signup');
  assert.deepEqual(sent[0].props, { plan: 'pro' });
  assert.notEqual(sent[0].eventId, sent[1].eventId);
});
