// What each chart draws and its text alternative, computed from the API's answers: labels, datasets, the data
// table shown under the chart and a one-sentence summary for its aria-label. No DOM, no Chart.js.
import * as f from '../utils/format.js';
import { eachDay } from '../utils/dates.js';
import { purposeName } from '../i18n/index.js';

export const CHOICES = ['acceptAll', 'rejectAll', 'dismiss', 'custom', 'gpc', 'withdrawals'];

/** The purposes worth a line: 'necessary' is granted with every choice, so it would repeat the interaction rate. */
function chartedPurposes(consent) {
  return consent.purposes.filter((p) => p !== 'necessary');
}

const pct = (rate) => (rate == null ? null : Math.round(rate * 1000) / 10);

/** Opt-in rate of each purpose and the interaction rate, per bucket, in percent. */
export function optIn(consent, t, lang) {
  const purposes = chartedPurposes(consent);
  const labels = consent.buckets.map((b) => f.bucket(lang, b, consent.interval));
  const lines = purposes.map((p) => ({ key: p, label: purposeName(t, p),
    rates: consent.buckets.map((b) => b.purposes[p] && b.purposes[p].optInRate) }))
    .concat([{ key: 'interaction', label: t.interactionRate, rates: consent.buckets.map((b) => b.interactionRate) }]);
  const totals = (key) => (key === 'interaction' ? consent.totals.interactionRate
    : consent.totals.purposes[key] && consent.totals.purposes[key].optInRate);
  return {
    labels,
    datasets: lines.map((l) => ({ key: l.key, label: l.label, data: l.rates.map(pct) })),
    table: {
      head: [t.when, t.notices].concat(lines.map((l) => l.label)),
      rows: consent.buckets.map((b, i) => [labels[i], f.number(lang, b.notices)]
        .concat(lines.map((l) => f.percent(lang, l.rates[i])))),
    },
    summary: t.summaryOptin(lines.map((l) => `${l.label} ${f.percent(lang, totals(l.key))}`).join(', ')),
  };
}

/** How the choices split over the period (and the previous one when compared). */
export function choices(consent, t, lang) {
  const labels = CHOICES.map((c) => t.choices[c]);
  const current = CHOICES.map((c) => consent.totals[c]);
  const previous = consent.previous ? CHOICES.map((c) => consent.previous.totals[c]) : null;
  return {
    labels,
    datasets: [{ key: 'current', label: t.thisPeriod, data: current }]
      .concat(previous ? [{ key: 'previous', label: t.lastPeriod, data: previous }] : []),
    table: {
      head: [t.count, t.thisPeriod].concat(previous ? [t.lastPeriod] : []),
      rows: labels.map((l, i) => [l, f.number(lang, current[i])].concat(previous ? [f.number(lang, previous[i])] : [])),
    },
    summary: t.summaryChoices(labels.map((l, i) => `${l} ${f.number(lang, current[i])}`).join(', ')),
  };
}

/**
 * Visitors and pageviews for every day of the range: a day the API left out (below k) is a gap, not a zero.
 * The previous period, when given, is laid over day by day.
 */
export function traffic(days, previousDays, range, t, lang) {
  const all = eachDay(range.from, range.to);
  const byDay = new Map(days.rows.map((r) => [r.key, r]));
  const pick = (rows, field) => rows.map((r) => (r ? r[field] : null));
  const current = all.map((d) => byDay.get(d));
  const datasets = [
    { key: 'visitors', label: t.visitors, data: pick(current, 'visitors') },
    { key: 'pageviews', label: t.pageviews, data: pick(current, 'pageviews') },
  ];
  if (previousDays) {
    const prev = eachDay(previousDays.from, previousDays.to);
    const prevBy = new Map(previousDays.rows.map((r) => [r.key, r]));
    const before = all.map((d, i) => prevBy.get(prev[i]));
    datasets.push({ key: 'visitorsPrevious', label: `${t.visitors} ${t.previousSuffix}`, data: pick(before, 'visitors'),
      previous: true });
    datasets.push({ key: 'pageviewsPrevious', label: `${t.pageviews} ${t.previousSuffix}`,
      data: pick(before, 'pageviews'), previous: true });
  }
  const sum = (field) => days.rows.reduce((s, r) => s + r[field], 0);
  return {
    labels: all.map((d) => f.day(lang, d)),
    datasets,
    table: {
      head: [t.when, t.visitors, t.pageviews],
      rows: days.rows.map((r) => [f.day(lang, r.key, true), f.number(lang, r.visitors), f.number(lang, r.pageviews)]),
    },
    summary: t.summaryTraffic(f.number(lang, sum('visitors')), f.number(lang, sum('pageviews')), days.rows.length),
  };
}
