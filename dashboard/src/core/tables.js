// A traffic dimension as a table with a bar per row: the top keys, "show more" for the next page, the "(other)"
// row and how many values of a day fell below k.
import { h } from '../utils/dom.js';
import * as f from '../utils/format.js';
import { csvButton } from './figures.js';

export const DIMENSIONS = ['page', 'referrer', 'browser', 'os', 'device', 'country', 'language'];
/** Rows per page of a table. */
export const PAGE = 10;

/** How a key reads: the built-in keys translated, countries and languages named, pages without their scheme. */
export function keyLabel(t, lang, dimension, key) {
  if (t.keys[key]) return t.keys[key];
  if (dimension === 'page') return key.replace(/^https?:\/\//, '');
  if (dimension === 'country') return f.country(lang, key);
  if (dimension === 'language') return f.language(lang, key);
  return key;
}

/** The section for `dimension`, from `data` ({rows, other, total, suppressed, k}); `on` has more() and csv(). */
export function trafficTable(doc, t, lang, dimension, data, on) {
  const id = `table-${dimension}`;
  const title = t.dimensions[dimension];
  const max = Math.max(1, ...data.rows.map((r) => r.visitors), data.other ? data.other.visitors : 0);
  const row = (r, other) => {
    const bar = h(doc, 'span', { class: 'bar', 'aria-hidden': 'true' });
    bar.style.width = `${Math.round((r.visitors / max) * 1000) / 10}%`;
    const label = keyLabel(t, lang, dimension, r.key);
    return h(doc, 'tr', { class: other ? 'other' : null, 'data-key': r.key },
      h(doc, 'th', { scope: 'row' }, h(doc, 'span', { class: 'key', title: r.key }, label)),
      h(doc, 'td', { class: 'num' }, h(doc, 'span', { class: 'bar-track' }, bar), f.number(lang, r.visitors)),
      h(doc, 'td', { class: 'num' }, f.number(lang, r.pageviews)));
  };
  const more = data.rows.length < data.total;
  return h(doc, 'section', { class: 'traffic', id, 'aria-labelledby': `${id}-title` },
    h(doc, 'div', { class: 'chart-head' },
      h(doc, 'h3', { id: `${id}-title` }, title),
      csvButton(doc, `${id}-csv`, t, title, on.csv)),
    data.rows.length === 0 && !data.other ? h(doc, 'p', { class: 'hint' }, t.noData)
      : h(doc, 'table', { class: 'bars' },
        h(doc, 'caption', { class: 'vh' }, title),
        h(doc, 'thead', {}, h(doc, 'tr', {},
          h(doc, 'th', { scope: 'col' }, t.dimension[dimension]),
          h(doc, 'th', { scope: 'col', class: 'num' }, t.visitors),
          h(doc, 'th', { scope: 'col', class: 'num' }, t.pageviews))),
        h(doc, 'tbody', {}, data.rows.map((r) => row(r, false))),
        data.other ? h(doc, 'tfoot', {}, row(data.other, true)) : null),
    h(doc, 'p', { class: 'table-foot' },
      h(doc, 'span', { id: `${id}-shown` }, t.shownOf(f.number(lang, data.rows.length), f.number(lang, data.total))),
      ' · ',
      h(doc, 'span', { id: `${id}-suppressed`, title: t.foldedHint }, t.folded(f.number(lang, data.suppressed), data.k)),
      more ? h(doc, 'button', { type: 'button', id: `${id}-more`, class: 'more', click: on.more,
        'aria-describedby': `${id}-shown` }, t.showMore) : null));
}
