import { test } from 'node:test';
import assert from 'node:assert/strict';
import { todayIn, presetRange, previousRange, intervalFor, rangeProblem, addDays, dayCount, eachDay }
  from '../src/utils/dates.js';

const LATE = new Date('2026-11-26T23:30:00Z');

test("today is the site's day, not the reader's or UTC's", () => {
  assert.equal(todayIn('Europe/Paris', LATE), '2026-11-27');
  assert.equal(todayIn('America/New_York', LATE), '2026-11-26');
  assert.equal(todayIn('Pacific/Kiritimati', new Date('2026-11-26T10:30:00Z')), '2026-11-27');
  assert.equal(todayIn('UTC', LATE), '2026-11-26');
});

test('presets end today in the time zone; 12 months are the last 365 days', () => {
  const tz = 'Europe/Paris';
  assert.deepEqual(presetRange('today', tz, LATE), { from: '2026-11-27', to: '2026-11-27' });
  assert.deepEqual(presetRange('7d', tz, LATE), { from: '2026-11-21', to: '2026-11-27' });
  assert.deepEqual(presetRange('30d', tz, LATE), { from: '2026-10-29', to: '2026-11-27' });
  assert.deepEqual(presetRange('month', tz, LATE), { from: '2026-11-01', to: '2026-11-27' });
  assert.deepEqual(presetRange('12m', tz, LATE), { from: '2025-11-28', to: '2026-11-27' });
  assert.equal(dayCount('2025-11-28', '2026-11-27'), 365);
  assert.deepEqual(presetRange('month', 'America/New_York', LATE), { from: '2026-11-01', to: '2026-11-26' });
  assert.throws(() => presetRange('custom', tz, LATE));
});

test('the previous period has the same length and ends the day before', () => {
  assert.deepEqual(previousRange({ from: '2026-11-20', to: '2026-11-26' }), { from: '2026-11-13', to: '2026-11-19' });
  assert.deepEqual(previousRange({ from: '2026-03-01', to: '2026-03-01' }), { from: '2026-02-28', to: '2026-02-28' });
  assert.deepEqual(previousRange({ from: '2024-03-01', to: '2024-03-31' }), { from: '2024-01-30', to: '2024-02-29' });
});

test('day arithmetic ignores daylight-saving changes', () => {
  assert.equal(addDays('2026-03-28', 1), '2026-03-29');
  assert.equal(addDays('2026-03-29', 1), '2026-03-30');
  assert.equal(addDays('2026-10-25', -1), '2026-10-24');
  assert.deepEqual(eachDay('2026-03-28', '2026-03-31'), ['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
});

test('buckets grow with the range: days, weeks, months', () => {
  assert.equal(intervalFor({ from: '2026-11-01', to: '2026-11-30' }), 'day');
  assert.equal(intervalFor({ from: '2026-09-01', to: '2026-11-30' }), 'week');
  assert.equal(intervalFor(presetRange('12m', 'UTC', LATE)), 'month');
});

test('a custom range is refused before asking: missing, reversed, too long, impossible dates', () => {
  assert.equal(rangeProblem('2026-11-01', '2026-11-30'), null);
  assert.equal(rangeProblem('', '2026-11-30'), 'dateMissing');
  assert.equal(rangeProblem('2026-02-30', '2026-03-01'), 'dateMissing');
  assert.equal(rangeProblem('2026-12-01', '2026-11-30'), 'rangeInvalid');
  assert.equal(rangeProblem('2025-01-01', '2026-11-30'), 'rangeTooLong');
  assert.equal(rangeProblem('2025-10-27', '2026-11-30'), null, '400 days exactly');
  assert.equal(rangeProblem('2025-10-26', '2026-11-30'), 'rangeTooLong');
});
