// The site's purposes as the banner and the choice logic see them: GPC locks, localised labels, and a
// fallback list for when the gateway cannot be reached.

/** The config's purposes, or without config: necessary, statistics and whatever the page's tags ask for. */
export function purposesOf(config, doc) {
  if (config && Array.isArray(config.purposes)) return config.purposes;
  const ids = new Set(['necessary', 'statistics']);
  doc.querySelectorAll('script[data-consent]').forEach((s) => {
    s.getAttribute('data-consent').split(/\s+/).forEach((id) => id && ids.add(id));
  });
  // Unknown purposes are assumed to be the kind Global Privacy Control opts out of; audience statistics is not.
  return [...ids].map((id) => ({ id, required: id === 'necessary', gpc: id !== 'statistics', cookies: [] }));
}

/** Whether Global Privacy Control forces purpose `p` off. */
export function gpcLocked(p, gpc) {
  return gpc && !p.required && p.gpc === true;
}

/**
 * One boolean per purpose for a banner action: accept_all grants what GPC leaves open, custom (or gpc, stored by
 * an older widget) the ticked `picks`, reject_all and dismiss nothing; required purposes are always on.
 */
export function choicesFor(purposes, gpc, action, picks) {
  const choices = {};
  for (const p of purposes) {
    choices[p.id] = !!p.required || (!gpcLocked(p, gpc)
      && (action === 'accept_all' || ((action === 'custom' || action === 'gpc') && picks[p.id] === true)));
  }
  return choices;
}

/**
 * The recorded method: "gpc" whenever the browser's signal decided part of the answer, except for a dismissal,
 * which refuses everything anyway and stays told apart from a click on "refuse all".
 */
export function methodFor(action, purposes, gpc) {
  return action !== 'dismiss' && purposes.some((p) => gpcLocked(p, gpc)) ? 'gpc' : action;
}

/** Whether `choices` refuse every optional purpose: "refuse all", a dismissal, or a custom choice ticking none. */
export function refusesAll(purposes, choices) {
  return purposes.every((p) => p.required || choices[p.id] !== true);
}

/** Choices from the purpose ids a token grants, for every known purpose. */
export function choicesFromGranted(granted, purposes) {
  const choices = {};
  for (const p of purposes) choices[p.id] = !!p.required || granted.includes(p.id);
  for (const id of granted) choices[id] = true;
  return choices;
}

/** A purpose's label or description in `locale`, falling back to English, then to `builtIn[id]`. */
export function purposeText(p, field, locale, builtIn) {
  const t = p[field] || {};
  return t[locale] || t.en || (builtIn && builtIn[p.id]) || (builtIn ? p.id : '');
}
