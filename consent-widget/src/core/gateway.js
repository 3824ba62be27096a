// The gateway's HTTP API as the widget uses it. Calls resolve to {status, body}; they reject only when the
// gateway was not reached (network error, timeout), so callers can tell "it said no" from "it is away".
export function createGateway(win, base, siteId) {
  const site = encodeURIComponent(siteId);

  function call(method, path, body, headers, ms = 8000) {
    const ctl = new win.AbortController();
    const timer = setTimeout(() => ctl.abort(), ms);
    return win.fetch(base + path, {
      method,
      headers: body ? { 'Content-Type': 'application/json', ...headers } : headers,
      body: body && JSON.stringify(body),
      credentials: 'omit',
      signal: ctl.signal,
    }).then((r) => r.json().catch(() => null).then((json) => ({ status: r.status, body: json })))
      .finally(() => clearTimeout(timer));
  }
  const bearer = (token) => ({ Authorization: `Bearer ${token}` });

  return {
    // a slow config must not hold the banner back for long: past 4 s the built-in texts are shown
    config: () => call('GET', `/v1/sites/${site}/config`, null, {}, 4000),
    notice: (body) => call('POST', `/v1/sites/${site}/notices`, body, {}),
    // a returning visitor proves its subject with its token; without one the gateway starts a new subject
    record: (body, key, token) => call('POST', '/v1/consents', body,
      { 'Idempotency-Key': key, ...(token && bearer(token)) }),
    current: (token) => call('GET', `/v1/consents/current?site=${site}`, null, bearer(token)),
    withdraw: (token) => call('POST', '/v1/consents/withdraw', { siteId }, bearer(token)),
    // text/plain keeps the beacon a "simple" cross-origin request: no preflight, survives page unload
    collect(body) {
      const url = `${base}/v1/collect`;
      const data = JSON.stringify(body);
      if (win.navigator.sendBeacon && win.navigator.sendBeacon(url, data)) return;
      win.fetch(url, { method: 'POST', body: data, keepalive: true, credentials: 'omit',
        headers: { 'Content-Type': 'text/plain' } }).catch(() => {});
    },
  };
}
