// The site-specific script (/consent.js?site=SITE_ID) carries the site's public config inside, so the banner
// can open without waiting for GET /v1/sites/{id}/config. The gateway swaps this string literal, quotes
// included, for the config's JSON; in the plain /consent.js it stays a string and is ignored.
export const INLINE_CONFIG_MARK = '__CG_SITE_CONFIG__';

/** The inlined config when there is one and it belongs to `siteId`, else null (the config is fetched). */
export function inlinedConfig(value, siteId) {
  return value && typeof value === 'object' && value.siteId === siteId && Array.isArray(value.purposes)
    ? value : null;
}
