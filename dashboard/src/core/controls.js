// The reader's choices: site, period (presets or two dates), comparison. Native controls only, so the keyboard
// and screen readers get their usual behaviour (the presets are one radio group: Tab in, arrows across).
import { h } from '../utils/dom.js';
import { PRESETS } from '../utils/dates.js';

/**
 * The controls for `state`; `on` has site(id), preset(name), custom(from, to), compare(bool).
 * `problem` is the message of a refused custom range, or null.
 */
export function controls(doc, t, state, problem, on) {
  const from = h(doc, 'input', { type: 'date', id: 'from', name: 'from', value: state.range.from, required: true,
    'aria-describedby': problem ? 'range-error' : null, 'aria-invalid': problem ? 'true' : null });
  const to = h(doc, 'input', { type: 'date', id: 'to', name: 'to', value: state.range.to, required: true,
    'aria-describedby': problem ? 'range-error' : null, 'aria-invalid': problem ? 'true' : null });
  const typed = () => {
    const custom = doc.getElementById('preset-custom');
    if (custom) custom.checked = true;
  };
  from.addEventListener('input', typed);
  to.addEventListener('input', typed);
  return h(doc, 'form', { id: 'controls', class: 'controls', 'aria-label': t.settings, novalidate: true,
    submit: (e) => {
      e.preventDefault();
      on.custom(from.value, to.value);
    } },
  h(doc, 'div', { class: 'field' },
    h(doc, 'label', { for: 'site' }, t.site),
    h(doc, 'select', { id: 'site', name: 'site', change: (e) => on.site(e.target.value) },
      state.sites.map((s) => h(doc, 'option', { value: s.siteId, selected: s.siteId === state.siteId },
        s.name && s.name !== s.siteId ? `${s.name} (${s.siteId})` : s.siteId)))),
  h(doc, 'fieldset', { class: 'presets' },
    h(doc, 'legend', {}, t.range),
    PRESETS.map((p) => h(doc, 'label', { class: 'preset' },
      h(doc, 'input', { type: 'radio', name: 'preset', id: `preset-${p}`, value: p, checked: state.preset === p,
        change: () => (p === 'custom' ? from.focus() : on.preset(p)) }),
      h(doc, 'span', {}, t.presets[p])))),
  h(doc, 'div', { class: 'dates' },
    h(doc, 'div', { class: 'field' }, h(doc, 'label', { for: 'from' }, t.from), from),
    h(doc, 'div', { class: 'field' }, h(doc, 'label', { for: 'to' }, t.to), to),
    h(doc, 'button', { type: 'submit', id: 'apply' }, t.apply)),
  h(doc, 'div', { class: 'field check' },
    h(doc, 'input', { type: 'checkbox', id: 'compare', name: 'compare', checked: state.compare,
      change: (e) => on.compare(e.target.checked) }),
    h(doc, 'label', { for: 'compare' }, t.compare)),
  problem ? h(doc, 'p', { id: 'range-error', class: 'error', role: 'alert' }, problem) : null);
}
