// The dashboard: sign in with the key, then one view of a site and a period, redrawn from the state whenever
// the reader changes a control or the language. Focus stays on the control that was used.
import { h } from '../utils/dom.js';
import { texts, pickLanguage, LANGUAGES } from '../i18n/index.js';
import { client, paths } from '../utils/api.js';
import * as session from '../utils/session.js';
import { presetRange, rangeProblem, intervalFor } from '../utils/dates.js';
import { fileName, saveText } from '../utils/download.js';
import * as f from '../utils/format.js';
import * as series from './series.js';
import { signinForm } from './signin.js';
import { controls } from './controls.js';
import { tiles } from './tiles.js';
import { figure, csvButton } from './figures.js';
import { trafficTable, DIMENSIONS } from './tables.js';
import { loadView, loadMore } from './load.js';

/**
 * Starts the dashboard in `root`; `draw(canvas, kind, series, lang)` draws a chart and returns it (destroy()),
 * `now()` is the reader's clock, from which the presets take the site's today.
 */
export function start(win, root, draw, now = () => new Date()) {
  const doc = win.document;
  const state = {
    lang: session.loadLang(win) || pickLanguage(win.navigator.languages || [win.navigator.language]),
    api: null, sites: [], siteId: null, preset: '7d', range: null, compare: false,
    data: null, loading: false, problem: null, error: null, signinError: null,
  };
  const charts = [];
  let sequence = 0;
  const t = () => texts[state.lang];
  const site = () => state.sites.find((s) => s.siteId === state.siteId);

  const header = h(doc, 'header', { class: 'top' });
  // what a screen reader hears after each load; the page shows the same through the period line and the dimming
  const status = h(doc, 'p', { id: 'status', class: 'vh', role: 'status' });
  const view = h(doc, 'div', { id: 'view' });
  root.replaceChildren(header, h(doc, 'main', { id: 'main' }, status, view));

  function setState(name) {
    doc.body.dataset.state = name;
  }

  function render() {
    const focused = doc.activeElement && doc.activeElement.id;
    const tx = t();
    doc.documentElement.lang = state.lang;
    doc.title = `${tx.title} · ${tx.product}`;
    charts.splice(0).forEach((c) => c.destroy());
    header.replaceChildren(
      h(doc, 'div', { class: 'brand' }, h(doc, 'p', { class: 'product' }, tx.product), h(doc, 'h1', {}, tx.title)),
      h(doc, 'div', { class: 'actions' },
        h(doc, 'button', { type: 'button', id: 'lang', lang: tx.otherLanguageCode, click: switchLanguage },
          tx.otherLanguage),
        state.api ? h(doc, 'button', { type: 'button', id: 'signout', click: () => signOut(null) }, tx.signout) : null));
    view.replaceChildren(...(state.api ? dashboard(tx) : [signinForm(doc, tx, state.signinError, signIn)]));
    view.setAttribute('aria-busy', state.loading ? 'true' : 'false');
    view.classList.toggle('busy', state.loading);
    if (state.api && state.data) drawCharts();
    const again = focused && doc.getElementById(focused);
    if (again) again.focus();
  }

  function dashboard(tx) {
    const out = [controls(doc, tx, state, state.problem, { site: chooseSite, preset: choosePreset,
      custom: chooseDates, compare: chooseCompare })];
    if (state.error) out.push(h(doc, 'p', { class: 'error', role: 'alert', id: 'load-error' }, state.error));
    const d = state.data;
    if (!d) return out;
    const lang = state.lang;
    const note = h(doc, 'p', { class: 'note', id: 'daily-uniques' },
      d.summary.visitorsAre === 'daily-unique' ? h(doc, 'strong', {}, tx.dailyUniques) : null,
      tx.dailyUniquesMore(d.summary.k), ' ', tx.asOf(f.instant(lang, d.days.asOf)));
    const period = h(doc, 'p', { class: 'period', id: 'period' },
      tx.loaded(f.day(lang, d.summary.from, true), f.day(lang, d.summary.to, true)),
      d.summary.previous ? ` ${tx.previousPeriod(f.day(lang, d.summary.previous.from, true),
        f.day(lang, d.summary.previous.to, true))}` : null);
    const summary = h(doc, 'section', { class: 'summary', 'aria-labelledby': 'summary-title' },
      h(doc, 'div', { class: 'chart-head' }, h(doc, 'h2', { id: 'summary-title' }, tx.summaryTitle),
        csvButton(doc, 'summary-csv', tx, tx.summaryTitle, () => csv(paths.summary(state.siteId, state.range,
          state.compare)))),
      period, note, tiles(doc, tx, lang, d.summary),
      d.summary.suppressedDays > 0 ? h(doc, 'p', { class: 'hint', id: 'suppressed-days' },
        tx.suppressedDays(f.number(lang, d.summary.suppressedDays), d.summary.k)) : null);
    const consentCsv = () => csv(paths.consent(state.siteId, state.range, intervalFor(state.range), state.compare));
    const figures = h(doc, 'section', { class: 'charts', 'aria-label': `${tx.optinTitle}, ${tx.choicesTitle}` },
      figure(doc, tx, 'optin', tx.optinTitle, series.optIn(d.consent, tx, lang), null, consentCsv),
      figure(doc, tx, 'choices', tx.choicesTitle, series.choices(d.consent, tx, lang), null, consentCsv),
      figure(doc, tx, 'traffic', tx.trafficTitle, series.traffic(d.days, d.previousDays, state.range, tx, lang),
        d.days.suppressed > 0 ? tx.daysBelowK : null, () => csv(paths.traffic(state.siteId, state.range, 'day'))));
    const tables = h(doc, 'section', { class: 'dimensions', 'aria-labelledby': 'dimensions-title' },
      h(doc, 'h2', { id: 'dimensions-title' }, tx.dimensionsTitle),
      h(doc, 'div', { class: 'grid' }, DIMENSIONS.map((dim) => table(dim))));
    return out.concat(summary, figures, tables);
  }

  function table(dim) {
    return trafficTable(doc, t(), state.lang, dim, state.data.tables[dim], {
      more: () => showMore(dim),
      csv: () => csv(paths.traffic(state.siteId, state.range, dim, 1000)),
    });
  }

  function drawCharts() {
    const d = state.data;
    const tx = t();
    const kinds = { optin: ['optIn', series.optIn(d.consent, tx, state.lang)],
      choices: ['choices', series.choices(d.consent, tx, state.lang)],
      traffic: ['traffic', series.traffic(d.days, d.previousDays, state.range, tx, state.lang)] };
    for (const [id, [kind, s]] of Object.entries(kinds)) {
      const canvas = doc.getElementById(`chart-${id}-canvas`);
      if (canvas) charts.push(draw(canvas, kind, s, state.lang));
    }
  }

  async function signIn(key) {
    const api = client(win.fetch.bind(win), key);
    setState('signing-in');
    try {
      const { sites } = await api.sites();
      if (!sites.length) throw Object.assign(new Error('no sites'), { status: 0, code: 'no_sites' });
      session.saveKey(win, key);
      state.api = api;
      state.sites = sites;
      if (!site()) state.siteId = sites[0].siteId;
      state.range = presetRange(state.preset === 'custom' ? '7d' : state.preset, site().timeZone, now());
      if (state.preset === 'custom') state.preset = '7d';
      state.signinError = null;
      render();
      doc.getElementById('site').focus();
      await reload();
    } catch (e) {
      session.clearKey(win);
      const tx = t();
      state.signinError = e.status === 401 ? tx.badKey : e.status === 403 ? tx.wrongRole
        : e.code === 'no_sites' ? tx.noSites : tx.failed;
      state.api = null;
      render();
      setState('signin');
      doc.getElementById('key').focus();
    }
  }

  function signOut(message) {
    session.clearKey(win);
    sequence++;
    Object.assign(state, { api: null, sites: [], data: null, loading: false, error: null, problem: null,
      signinError: message });
    status.textContent = '';
    render();
    setState('signin');
    doc.getElementById('key').focus();
  }

  async function reload() {
    const mine = ++sequence;
    state.loading = true;
    state.error = null;
    status.textContent = t().loading;
    setState('loading');
    view.setAttribute('aria-busy', 'true');
    view.classList.add('busy');
    try {
      const data = await loadView(state.api, state.siteId, state.range, state.compare);
      if (mine !== sequence) return;
      state.data = data;
      state.loading = false;
      render();
      status.textContent = t().loaded(f.day(state.lang, state.range.from, true), f.day(state.lang, state.range.to, true));
      setState('ready');
    } catch (e) {
      if (mine !== sequence) return;
      if (e.status === 401) {
        signOut(t().badKey);
        return;
      }
      state.loading = false;
      state.error = t().failed;
      render();
      status.textContent = '';
      setState('error');
    }
  }

  async function showMore(dim) {
    try {
      state.data.tables[dim] = await loadMore(state.api, state.siteId, state.range, dim, state.data.tables[dim]);
      const next = table(dim);
      doc.getElementById(`table-${dim}`).replaceWith(next);
      // the button goes once every row is shown: focus then lands on the table's title
      const more = doc.getElementById(`table-${dim}-more`);
      const title = doc.getElementById(`table-${dim}-title`);
      if (!more) title.tabIndex = -1;
      (more || title).focus();
    } catch (e) {
      failed(e);
    }
  }

  function failed(e) {
    if (e.status === 401) {
      signOut(t().badKey);
      return;
    }
    state.error = t().failed;
    render();
  }

  async function csv(path) {
    try {
      const { text, filename } = await state.api.csv(path);
      saveText(win, text, fileName(filename, state.range));
    } catch (e) {
      failed(e);
    }
  }

  function chooseSite(id) {
    state.siteId = id;
    if (state.preset !== 'custom') state.range = presetRange(state.preset, site().timeZone, now());
    reload();
  }

  function choosePreset(preset) {
    state.preset = preset;
    state.problem = null;
    state.range = presetRange(preset, site().timeZone, now());
    render();
    reload();
  }

  function chooseDates(from, to) {
    const problem = rangeProblem(from, to);
    state.problem = problem ? t()[problem] : null;
    if (problem) {
      render();
      doc.getElementById('from').focus();
      return;
    }
    state.preset = 'custom';
    state.range = { from, to };
    render();
    reload();
  }

  function chooseCompare(on) {
    state.compare = on;
    reload();
  }

  function switchLanguage() {
    state.lang = LANGUAGES.find((l) => l !== state.lang);
    session.saveLang(win, state.lang);
    if (state.problem) state.problem = null;
    render();
    if (state.data && !state.loading) {
      status.textContent = t().loaded(f.day(state.lang, state.range.from, true), f.day(state.lang, state.range.to, true));
    }
  }

  render();
  const saved = session.loadKey(win);
  if (saved) signIn(saved);
  else setState('signin');
  return { state };
}
