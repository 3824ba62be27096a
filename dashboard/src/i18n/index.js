// The dashboard speaks French and English; French when the browser prefers neither.
import fr from './fr.js';
import en from './en.js';

export const texts = { fr, en };
export const LANGUAGES = Object.keys(texts);

/** The first of the browser's languages the dashboard speaks, French otherwise. */
export function pickLanguage(preferred) {
  for (const l of preferred || []) {
    const base = String(l).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'fr';
}

/** A purpose's name: the built-in one for the usual ids, the id itself otherwise (the API gives ids only). */
export function purposeName(t, id) {
  return t.purposes[id] || id;
}
