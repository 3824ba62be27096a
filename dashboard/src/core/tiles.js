// The summary tiles: this period's figure, and with a comparison its change and the previous figure.
import { h } from '../utils/dom.js';
import * as f from '../utils/format.js';

const TILES = [
  { id: 'pageviews', label: (t) => t.pageviews, kind: 'count' },
  { id: 'visitors', label: (t) => t.visitorsTile, kind: 'count' },
  { id: 'notices', label: (t) => t.notices, kind: 'count' },
  { id: 'coverage', field: 'consentCoverage', label: (t) => t.coverage, hint: (t) => t.coverageHint, kind: 'rate' },
];

export function tiles(doc, t, lang, summary) {
  const show = (kind, v) => (kind === 'rate' ? f.percent(lang, v) : f.number(lang, v));
  return h(doc, 'ul', { class: 'tiles' }, TILES.map((tile) => {
    const field = tile.field || tile.id;
    const value = summary[field];
    let delta = null;
    if (summary.previous) {
      const before = summary.previous[field];
      const change = f.change(lang, value, before, tile.kind, t.points);
      delta = h(doc, 'p', { class: 'tile-delta' },
        change ? h(doc, 'strong', {}, change) : null, change ? ' ' : null,
        before == null ? t.noPrevious : `(${t.previousValue(show(tile.kind, before))})`);
    }
    return h(doc, 'li', { class: 'tile', id: `tile-${tile.id}` },
      h(doc, 'p', { class: 'tile-label' }, tile.label(t)),
      h(doc, 'p', { class: 'tile-value' }, show(tile.kind, value)),
      tile.hint ? h(doc, 'p', { class: 'tile-hint' }, tile.hint(t)) : null,
      delta);
  }));
}
