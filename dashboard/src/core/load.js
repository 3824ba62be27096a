// Everything one view of the dashboard shows, asked for in parallel.
import { intervalFor, previousRange } from '../utils/dates.js';
import { DIMENSIONS, PAGE } from './tables.js';

/** Summary, consent funnel, the daily series (and the previous period's), the first page of every dimension. */
export async function loadView(api, siteId, range, compare) {
  const previous = compare ? previousRange(range) : null;
  const [summary, consent, days, previousDays, ...tables] = await Promise.all([
    api.summary(siteId, range, compare),
    api.consent(siteId, range, intervalFor(range), compare),
    api.traffic(siteId, range, 'day'),
    previous ? api.traffic(siteId, previous, 'day') : null,
    ...DIMENSIONS.map((d) => api.traffic(siteId, range, d, PAGE, 0)),
  ]);
  return { summary, consent, days, previousDays, tables: Object.fromEntries(DIMENSIONS.map((d, i) => [d, tables[i]])) };
}

/** The table of `dimension` with its next page appended. */
export async function loadMore(api, siteId, range, dimension, table) {
  const next = await api.traffic(siteId, range, dimension, PAGE, table.rows.length);
  return { ...next, rows: table.rows.concat(next.rows) };
}
