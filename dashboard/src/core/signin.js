// The sign-in form: one password field for the marketing key, its error tied to it for screen readers.
import { h } from '../utils/dom.js';

/** The form; `onKey(key)` gets the trimmed key on submit. `error` is a message to show, or null. */
export function signinForm(doc, t, error, onKey) {
  const input = h(doc, 'input', { id: 'key', name: 'key', type: 'password', required: true, autocomplete: 'off',
    spellcheck: 'false', 'aria-describedby': error ? 'key-error key-hint' : 'key-hint',
    'aria-invalid': error ? 'true' : null });
  return h(doc, 'section', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h(doc, 'h2', { id: 'signin-title' }, t.signinTitle),
    h(doc, 'form', { id: 'signin-form', novalidate: true, submit: (e) => {
      e.preventDefault();
      const key = input.value.trim();
      if (key) onKey(key);
      else input.focus();
    } },
    h(doc, 'label', { for: 'key' }, t.keyLabel),
    input,
    h(doc, 'p', { id: 'key-hint', class: 'hint' }, t.keyHint),
    error ? h(doc, 'p', { id: 'key-error', class: 'error', role: 'alert' }, error) : null,
    h(doc, 'button', { type: 'submit', id: 'signin', class: 'primary' }, t.signin)));
}
