// Building DOM elements in one expression (as in the widget).

/** `tag` with `attrs` (a function is a listener, true an empty attribute, null/false none) and `children`. */
export function h(doc, tag, attrs, ...children) {
  const el = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (typeof v === 'function') el.addEventListener(k, v);
    else if (v != null && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}
