import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as series from '../src/core/series.js';
import { texts } from '../src/i18n/index.js';

const en = texts.en;
const bucket = (start, notices, stats, prosp, choices) => ({ start, end: start, notices, choices,
  purposes: { necessary: { optInRate: notices ? choices / notices : null },
    statistics: { optInRate: stats }, prospecting: { optInRate: prosp } },
  interactionRate: notices ? choices / notices : null });
const consent = {
  interval: 'day', purposes: ['necessary', 'statistics', 'prospecting'],
  buckets: [bucket('2026-11-23', 10, 0.5, 0.4, 8), bucket('2026-11-24', 0, null, null, 0)],
  totals: { notices: 10, choices: 8, acceptAll: 4, rejectAll: 2, dismiss: 1, custom: 1, gpc: 0, withdrawals: 1,
    purposes: { statistics: { optInRate: 0.5 }, prospecting: { optInRate: 0.4 } }, interactionRate: 0.8 },
};

test('opt-in lines: every purpose but necessary, then the interaction rate, in percent, gaps where no banner', () => {
  const s = series.optIn(consent, en, 'en');
  assert.deepEqual(s.labels, ['23 Nov', '24 Nov']);
  assert.deepEqual(s.datasets.map((d) => d.key), ['statistics', 'prospecting', 'interaction']);
  assert.deepEqual(s.datasets.map((d) => d.data), [[50, null], [40, null], [80, null]]);
  assert.deepEqual(s.table.head, ['Date', 'Banners shown', 'Statistics', 'prospecting', 'Interaction rate']
    .map((h) => (h === 'prospecting' ? 'Prospecting' : h)));
  assert.deepEqual(s.table.rows[0], ['23 Nov', '10', '50%', '40%', '80%']);
  assert.deepEqual(s.table.rows[1], ['24 Nov', '0', '–', '–', '–']);
  assert.equal(s.summary, 'Opt-in rates over the period: Statistics 50%, Prospecting 40%, Interaction rate 80%.');
});

test('choices: the six ways a banner ends, and the previous period beside them when compared', () => {
  const s = series.choices(consent, en, 'en');
  assert.deepEqual(s.labels, ['Accept all', 'Refuse all', 'Dismissed', 'Custom', 'GPC signal', 'Withdrawals']);
  assert.deepEqual(s.datasets.map((d) => d.data), [[4, 2, 1, 1, 0, 1]]);
  const compared = series.choices({ ...consent, previous: { totals: { ...consent.totals, acceptAll: 9 } } }, en, 'en');
  assert.deepEqual(compared.datasets.map((d) => d.key), ['current', 'previous']);
  assert.deepEqual(compared.table.rows[0], ['Accept all', '4', '9']);
});

test('traffic: every day of the range, a day below k is a gap; the previous period lies over day by day', () => {
  const days = { rows: [{ key: '2026-11-23', visitors: 13, pageviews: 21 }, { key: '2026-11-25', visitors: 6,
    pageviews: 6 }] };
  const before = { from: '2026-11-20', to: '2026-11-22', rows: [{ key: '2026-11-22', visitors: 5, pageviews: 5 }] };
  const s = series.traffic(days, before, { from: '2026-11-23', to: '2026-11-25' }, en, 'en');
  assert.deepEqual(s.labels, ['23 Nov', '24 Nov', '25 Nov']);
  assert.deepEqual(s.datasets[0].data, [13, null, 6]);
  assert.deepEqual(s.datasets[1].data, [21, null, 6]);
  assert.deepEqual(s.datasets[2], { key: 'visitorsPrevious', label: 'Visitors (previous)', data: [null, null, 5],
    previous: true });
  assert.deepEqual(s.table.rows, [['23 Nov 2026', '13', '21'], ['25 Nov 2026', '6', '6']]);
  assert.equal(s.summary, '19 visitors and 27 pageviews over 2 published days.');
});
