// The languages the widget speaks without any configuration.
import en from './en.js';
import fr from './fr.js';

export const builtIn = { en, fr };

/** Texts for `locale`: the built-in ones (English for a locale the widget lacks) under the site's overrides. */
export function textsFor(locale, overrides) {
  return { ...(builtIn[locale] || en), ...(overrides && overrides[locale]) };
}
