// Which of the site's locales to speak.

/** The visitor's preferred languages, best first: the page's own <html lang>, then the browser's list. */
export function wantedLocales(win) {
  const nav = win.navigator;
  return [win.document.documentElement.lang, ...(nav.languages || [nav.language])].filter(Boolean);
}

/**
 * The first of `wanted` that `available` offers, by full tag then by primary language ("fr-CA" → "fr");
 * otherwise the first available locale, otherwise "en".
 */
export function pickLocale(wanted, available) {
  const base = (tag) => tag.toLowerCase().split('-')[0];
  for (const tag of wanted) {
    const hit = available.find((l) => l.toLowerCase() === tag.toLowerCase())
      || available.find((l) => base(l) === base(tag));
    if (hit) return hit;
  }
  return available[0] || 'en';
}
