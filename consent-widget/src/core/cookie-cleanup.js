// Removes what refused purposes left behind: the cookies the site declared for them (config
// purposes[].cookies; a trailing * matches a prefix, as in "_ga_*").
import { cookieNames, deleteCookie } from '../utils/cookies.js';

/** Deletes, on `host` and its parent domains, the present cookies of every purpose not granted. */
export function deleteRefusedCookies(doc, host, purposes, choices) {
  const present = cookieNames(doc).filter((n) => n !== 'cg_consent');
  for (const p of purposes) {
    if (p.required || choices[p.id] === true) continue;
    for (const pattern of p.cookies || []) {
      const star = pattern.endsWith('*');
      present.filter((n) => (star ? n.startsWith(pattern.slice(0, -1)) : n === pattern))
        .forEach((n) => deleteCookie(doc, n, host));
    }
  }
}
