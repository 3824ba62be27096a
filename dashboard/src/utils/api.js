// The statistics API, with the key in the Authorization header of every call: never in a URL.

/** A refusal of the API: its HTTP status and error code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

function query(params) {
  return Object.entries(params).filter(([, v]) => v != null && v !== false)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** The paths of the API, relative to the dashboard's own (so a gateway under a path prefix works too). */
export const paths = {
  sites: () => 'v1/stats/sites',
  summary: (site, { from, to }, compare) =>
    `v1/stats/${encodeURIComponent(site)}/summary?${query({ from, to, compare: compare && 'previous' })}`,
  consent: (site, { from, to }, interval, compare) =>
    `v1/stats/${encodeURIComponent(site)}/consent?${query({ from, to, interval, compare: compare && 'previous' })}`,
  traffic: (site, { from, to }, dimension, limit, offset) =>
    `v1/stats/${encodeURIComponent(site)}/traffic?${query({ from, to, dimension, limit, offset: offset || null })}`,
};

/** A client for `key`; `fetchImpl` is the window's fetch. */
export function client(fetchImpl, key) {
  async function call(path, accept) {
    const response = await fetchImpl(path, {
      headers: { Authorization: `Bearer ${key}`, Accept: accept },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) {
      let body = {};
      try {
        body = await response.json();
      } catch (e) {
        // not JSON: the status says enough
      }
      throw new ApiError(response.status, body.error, body.message);
    }
    return response;
  }
  const json = async (path) => (await call(path, 'application/json')).json();
  return {
    sites: () => json(paths.sites()),
    summary: (site, range, compare) => json(paths.summary(site, range, compare)),
    consent: (site, range, interval, compare) => json(paths.consent(site, range, interval, compare)),
    traffic: (site, range, dimension, limit, offset) => json(paths.traffic(site, range, dimension, limit, offset)),
    /** The CSV of `path`: its text and the file name the gateway suggests. */
    async csv(path) {
      const response = await call(path, 'text/csv');
      const disposition = response.headers.get('Content-Disposition') || '';
      const name = /filename="([^"]+)"/.exec(disposition);
      return { text: await response.text(), filename: name ? name[1] : 'statistics.csv' };
    },
  };
}
