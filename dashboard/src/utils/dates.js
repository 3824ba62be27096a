// Days as 'YYYY-MM-DD' strings of the site's time zone: the API's unit. Arithmetic happens on UTC midnights,
// where every day has 24 hours, so no daylight-saving change can shift a day.

export const PRESETS = ['today', '7d', '30d', 'month', '12m', 'custom'];
/** The API's longest range. */
export const MAX_DAYS = 400;
const DAY_MS = 86400000;

/** The day it is now in `timeZone`. */
export function todayIn(timeZone, now = new Date()) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(now);
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function toMs(day) {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function fromMs(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day, n) {
  return fromMs(toMs(day) + n * DAY_MS);
}

/** Days from `from` to `to`, both counted. */
export function dayCount(from, to) {
  return Math.round((toMs(to) - toMs(from)) / DAY_MS) + 1;
}

/** Every day of the range, in order. */
export function eachDay(from, to) {
  const out = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The range of a preset, ending today in the site's time zone; 12 months are the last 365 days. */
export function presetRange(preset, timeZone, now = new Date()) {
  const today = todayIn(timeZone, now);
  switch (preset) {
    case 'today': return { from: today, to: today };
    case '7d': return { from: addDays(today, -6), to: today };
    case '30d': return { from: addDays(today, -29), to: today };
    case 'month': return { from: `${today.slice(0, 8)}01`, to: today };
    case '12m': return { from: addDays(today, -364), to: today };
    default: throw new Error(`no range for preset ${preset}`);
  }
}

/** The period of the same length just before, as the API's compare=previous takes it. */
export function previousRange({ from, to }) {
  const n = dayCount(from, to);
  return { from: addDays(from, -n), to: addDays(from, -1) };
}

/** Buckets of the consent chart: days up to a month, ISO weeks up to about four months, months beyond. */
export function intervalFor({ from, to }) {
  const n = dayCount(from, to);
  return n <= 31 ? 'day' : n <= 120 ? 'week' : 'month';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Why a custom range cannot be asked for ('dateMissing', 'rangeInvalid', 'rangeTooLong'), or null. */
export function rangeProblem(from, to) {
  if (!DAY.test(from || '') || !DAY.test(to || '') || Number.isNaN(toMs(from)) || fromMs(toMs(from)) !== from
    || fromMs(toMs(to)) !== to) return 'dateMissing';
  if (from > to) return 'rangeInvalid';
  if (dayCount(from, to) > MAX_DAYS) return 'rangeTooLong';
  return null;
}
