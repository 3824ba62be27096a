// Page tags held back as <script type="text/plain" data-consent="purpose …"> until consent.

/** Replaces each held-back script whose purposes are all granted with a live copy; returns how many. */
export function activateScripts(doc, choices) {
  let n = 0;
  doc.querySelectorAll('script[type="text/plain"][data-consent]').forEach((old) => {
    const ids = old.getAttribute('data-consent').split(/\s+/).filter(Boolean);
    if (!ids.length || !ids.every((id) => choices[id] === true)) return;
    const s = doc.createElement('script');
    for (const a of old.attributes) if (a.name !== 'type') s.setAttribute(a.name, a.value);
    if (old.nonce) s.nonce = old.nonce; // browsers hide the nonce attribute once parsed
    // inserted scripts run async by default; keep document order unless the page asked for async
    if (old.src && !old.hasAttribute('async')) s.async = false;
    s.text = old.text;
    old.replaceWith(s);
    n++;
  });
  return n;
}
