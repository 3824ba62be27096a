// The current consent and who wants to hear about it: onChange listeners and the cg:consent DOM event.
export function createConsentState(doc) {
  let current = null;
  const listeners = new Set();
  const copy = () => current && { ...current, choices: { ...current.choices } };

  return {
    /** A copy of the current consent, or null. */
    get: copy,
    /** Replaces the consent and tells everyone, a failing listener not stopping the others. */
    set(consent) {
      current = consent;
      listeners.forEach((fn) => {
        try {
          fn(copy());
        } catch (e) {
          setTimeout(() => { throw e; });
        }
      });
      doc.dispatchEvent(new doc.defaultView.CustomEvent('cg:consent', { detail: copy() }));
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => { listeners.delete(fn); };
    },
  };
}
