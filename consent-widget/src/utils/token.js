// Reads a consent token (v1.<kid>.<base64url payload>.<base64url signature>). Only the gateway can verify
// the signature; the widget reads the payload to know choices and expiry without a network call.

/** The payload {site, sub, cid, p, exp, pv}, or null when the token is not one the gateway could have made. */
export function decodeToken(token) {
  try {
    const parts = String(token).split('.');
    if (parts.length !== 4 || parts[0] !== 'v1' || !parts[3]) return null;
    const b64 = parts[2].replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '==='.slice((b64.length + 3) % 4));
    const p = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
    return p && typeof p.sub === 'string' && typeof p.cid === 'string' && Array.isArray(p.p)
      && typeof p.exp === 'number' ? p : null;
  } catch (e) {
    return null;
  }
}
