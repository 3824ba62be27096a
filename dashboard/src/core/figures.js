// A chart as a figure: its title, a CSV button, the canvas named by a summary sentence, and the same figures as a
// table anyone can open (keyboard included), which is also what a screen reader reads.
import { h } from '../utils/dom.js';

/** A table from `{head, rows}`; the first column heads its row. */
export function dataTable(doc, id, caption, { head, rows }) {
  return h(doc, 'table', { id, class: 'data' },
    h(doc, 'caption', { class: 'vh' }, caption),
    h(doc, 'thead', {}, h(doc, 'tr', {}, head.map((c) => h(doc, 'th', { scope: 'col' }, c)))),
    h(doc, 'tbody', {}, rows.map((r) => h(doc, 'tr', {},
      r.map((c, i) => (i === 0 ? h(doc, 'th', { scope: 'row' }, c) : h(doc, 'td', {}, c)))))));
}

/** A CSV button whose accessible name says what it downloads. */
export function csvButton(doc, id, t, what, onClick) {
  return h(doc, 'button', { type: 'button', id, class: 'csv', click: onClick },
    t.csv, h(doc, 'span', { class: 'vh' }, ` (${what})`));
}

/** The figure for chart `id` ('optin', 'choices', 'traffic'); the canvas is drawn on once it is in the page. */
export function figure(doc, t, id, title, series, note, onCsv) {
  const canvas = h(doc, 'canvas', { id: `chart-${id}-canvas`, role: 'img', 'aria-label': `${title}. ${series.summary}` },
    series.summary);
  return h(doc, 'figure', { class: 'chart', id: `chart-${id}`, 'aria-labelledby': `chart-${id}-title` },
    h(doc, 'div', { class: 'chart-head' },
      h(doc, 'figcaption', { id: `chart-${id}-title` }, title),
      csvButton(doc, `chart-${id}-csv`, t, title, onCsv)),
    h(doc, 'div', { class: 'chart-box' }, canvas),
    note ? h(doc, 'p', { class: 'hint' }, note) : null,
    h(doc, 'details', {},
      h(doc, 'summary', {}, t.showData),
      dataTable(doc, `chart-${id}-data`, title, series.table)));
}
