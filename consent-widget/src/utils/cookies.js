// First-party cookies of the page: read, write once with a fixed expiry, delete everywhere they may live.

/** The value of cookie `name`, or null when the page has none. */
export function readCookie(doc, name) {
  for (const part of doc.cookie.split(';')) {
    const i = part.indexOf('=');
    if (part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch (e) {
        return part.slice(i + 1).trim();
      }
    }
  }
  return null;
}

/** Names of the cookies the page can see (HttpOnly ones are out of reach anyway). */
export function cookieNames(doc) {
  return doc.cookie.split(';').map((p) => p.split('=')[0].trim()).filter(Boolean);
}

/**
 * Writes `name=value` until `expires` (path=/, SameSite=Lax, Secure on https). Returns false and leaves the
 * cookie alone when it already holds `value`: writing it again could only move its expiry, which the policy
 * forbids (a consent lasts 13 months from the first deposit, never extended by a visit).
 */
export function writeCookie(doc, name, value, expires, secure) {
  if (readCookie(doc, name) === value) return false;
  doc.cookie = `${name}=${encodeURIComponent(value)}; expires=${expires.toUTCString()}; path=/; SameSite=Lax${
    secure ? '; Secure' : ''}`;
  return true;
}

/** Deletes cookie `name` (path /) on the host itself and on each of its parent domains. */
export function deleteCookie(doc, name, host) {
  const gone = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  doc.cookie = gone;
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) doc.cookie = `${gone}; domain=${labels.slice(i).join('.')}`;
}
