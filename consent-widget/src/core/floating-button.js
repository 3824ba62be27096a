// The optional floating "Cookie preferences" button (site setting widget.floatingButton): the way back to the
// banner from every page once a choice exists, for sites without a [data-cg-open] link of their own.
import { h } from '../utils/dom.js';
import { injectStyle } from './styles.js';

/**
 * Returns toggle(on, locale, label, nonce): puts the button named `label` on the page when `on`, takes it off
 * otherwise. A click calls `open`.
 */
export function createFloatingButton(doc, open) {
  let el = null; // one element for the page's life, so focus can come back to it after the banner it opened
  return (on, locale, label, nonce) => {
    if (!on) {
      if (el) el.remove();
    } else {
      if (!el) el = h(doc, 'button', { type: 'button', id: 'cg-fab', click: open });
      el.lang = locale; // the label's language, whatever the page's
      el.textContent = label; // visible, so the accessible name is what sighted users read too
      injectStyle(doc, nonce);
      if (!el.isConnected) doc.body.append(el);
    }
  };
}
