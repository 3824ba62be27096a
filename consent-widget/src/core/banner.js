// The consent dialog: first layer (refuse all / accept all / customise), second layer (one checkbox per
// purpose). Pure DOM: it reports the visitor's decision and knows nothing of the gateway.
import { h } from '../utils/dom.js';
import { injectStyle } from './styles.js';
import { gpcLocked, purposeText } from './purposes.js';

/**
 * Opens the dialog and returns {close()}. `o`: texts, locale, controller (the site's name), purposes, gpc, choices
 * (the current consent's, to show when re-opening; none on a first visit, so nothing is pre-ticked), policyUrl,
 * nonce, and onDecide(action, picks) with action "accept_all" | "reject_all" | "custom" | "dismiss" (× or Escape
 * on the first layer: a refusal, told apart from the "refuse all" button in the proof) and picks
 * {purposeId: checked}.
 */
export function openBanner(doc, o) {
  const t = o.texts;
  const previous = doc.activeElement;
  const button = (id, label, onClick, alt) => h(doc, 'button',
    { type: 'button', id, class: alt ? 'cg-btn cg-alt' : 'cg-btn', click: onClick }, label);

  const label = (p) => purposeText(p, 'labels', o.locale, t.purposes);
  // the first layer names the controller and what consent is asked for (CNIL): the optional purposes
  const asked = o.purposes.filter((p) => !p.required);
  const fill = {
    controller: o.controller || t.controller, purposes: (asked.length ? asked : o.purposes).map(label).join(', '),
  };
  const purposeRows = o.purposes.map((p) => {
    const id = `cg-p-${p.id}`;
    const locked = gpcLocked(p, o.gpc);
    const note = p.required ? t.alwaysOn : locked ? t.gpcLocked : null;
    return h(doc, 'div', { class: 'cg-purpose' },
      h(doc, 'input', {
        type: 'checkbox', id, 'data-purpose': p.id, 'aria-describedby': `${id}-d`, disabled: p.required || locked,
        checked: !!p.required || (!locked && !!o.choices && o.choices[p.id] === true),
      }),
      h(doc, 'label', { for: id }, label(p)),
      h(doc, 'p', { id: `${id}-d` }, [note, purposeText(p, 'descriptions', o.locale)].filter(Boolean).join(' ')));
  });

  const main = h(doc, 'div', { id: 'cg-main' },
    h(doc, 'h2', { id: 'cg-title', tabindex: '-1' }, t.title),
    h(doc, 'p', { id: 'cg-desc' }, `${t.description.replace(/\{(\w+)\}/g, (m, k) => fill[k] || m)} `,
      o.policyUrl ? h(doc, 'a', { href: o.policyUrl, target: '_blank', rel: 'noopener' }, t.policy) : null),
    h(doc, 'div', { class: 'cg-row' },
      button('cg-refuse', t.refuseAll, () => close('reject_all')),
      button('cg-accept', t.acceptAll, () => close('accept_all')),
      button('cg-customise', t.customise, () => layer(true), true)));
  const prefs = h(doc, 'div', { id: 'cg-prefs', hidden: true },
    h(doc, 'h2', { id: 'cg-prefs-title', tabindex: '-1' }, t.prefsTitle),
    ...purposeRows,
    h(doc, 'div', { class: 'cg-row' },
      button('cg-back', t.back, () => layer(false), true),
      button('cg-save', t.save, () => close('custom'))));
  const root = h(doc, 'div', {
    // lang: a screen reader on a page in another language reads the banner in its own
    id: 'cg-banner', lang: o.locale, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'cg-title',
    'aria-describedby': 'cg-desc',
    keydown: onKey,
  }, h(doc, 'button', { type: 'button', id: 'cg-close', 'aria-label': t.close, click: () => close('dismiss') }, '×'),
  main, prefs);

  function focusable() {
    return [...root.querySelectorAll('button,input,a[href]')].filter((el) => !el.disabled && !el.closest('[hidden]'));
  }
  function layer(second) {
    main.hidden = second;
    prefs.hidden = !second;
    root.setAttribute('aria-labelledby', second ? 'cg-prefs-title' : 'cg-title');
    root.setAttribute('aria-describedby', second ? 'cg-prefs-title' : 'cg-desc');
    // the heading first, so screen readers announce the layer and no answer is pre-selected
    (second ? prefs : main).querySelector('h2').focus();
  }
  function onKey(e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      if (prefs.hidden) close('dismiss');
      else layer(false);
    } else if (e.key === 'Tab') {
      const list = focusable();
      const i = list.indexOf(doc.activeElement);
      if (e.shiftKey ? i <= 0 : i === list.length - 1) {
        e.preventDefault();
        list[e.shiftKey ? list.length - 1 : 0].focus();
      }
    }
  }
  // aria-modal: focus that wanders out (a click on the page, Tab from the address bar) comes back
  function onFocusIn(e) {
    if (!root.contains(e.target)) focusable()[0].focus();
  }
  // with an action: the visitor's decision, reported before focus goes back
  function close(action) {
    doc.removeEventListener('focusin', onFocusIn);
    root.remove();
    if (action) {
      const picks = {};
      root.querySelectorAll('input[data-purpose]').forEach((i) => { picks[i.getAttribute('data-purpose')] = i.checked; });
      o.onDecide(action, picks);
    }
    // after the decision, which may bring back the element that opened the banner (the floating button)
    if (previous && previous.focus && previous !== doc.body) previous.focus();
  }

  injectStyle(doc, o.nonce);
  doc.body.append(root);
  doc.addEventListener('focusin', onFocusIn);
  layer(false);
  return { close: () => close() };
}
