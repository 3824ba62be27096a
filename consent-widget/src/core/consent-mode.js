// Google Consent Mode v2: every signal denied until a choice, then the site's purpose → signal mapping.

const SIGNALS = ['ad_storage', 'analytics_storage', 'ad_user_data', 'ad_personalization'];
const DEFAULT_MAPPING = {
  statistics: ['analytics_storage'],
  prospecting: ['ad_storage', 'ad_user_data', 'ad_personalization'],
};

// The page's gtag, or a shim when only dataLayer exists: gtag.js reads Arguments objects from dataLayer.
function gtagOf(win) {
  if (typeof win.gtag === 'function') return win.gtag;
  if (!Array.isArray(win.dataLayer)) return null;
  win.gtag = function gtag() {
    win.dataLayer.push(arguments); // eslint-disable-line prefer-rest-params
  };
  return win.gtag;
}

/** Pushes the all-denied default when the page uses gtag or dataLayer; true when it did. */
export function consentDefault(win) {
  const gtag = gtagOf(win);
  if (gtag) gtag('consent', 'default', { ...consentSignals({}, {}), wait_for_update: 500 });
  return !!gtag;
}

/**
 * The four signals for `choices`. A signal is granted only when every purpose mapped to it is granted;
 * an empty or missing mapping means the default one (statistics → analytics, prospecting → ads).
 */
export function consentSignals(mapping, choices) {
  const entries = Object.entries(mapping && Object.keys(mapping).length ? mapping : DEFAULT_MAPPING);
  const out = {};
  SIGNALS.forEach((s) => { out[s] = 'denied'; });
  entries.forEach(([, signals]) => signals.forEach((s) => { out[s] = 'granted'; }));
  entries.forEach(([id, signals]) => choices[id] !== true && signals.forEach((s) => { out[s] = 'denied'; }));
  return out;
}

/** Pushes the update for a choice, when the page uses gtag or dataLayer. */
export function consentUpdate(win, mapping, choices) {
  const gtag = gtagOf(win);
  if (gtag) gtag('consent', 'update', consentSignals(mapping, choices));
}
