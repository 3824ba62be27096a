// The way to the gateway's preferences page. With a token the page is opened by a POST, so the token never
// appears in a URL (history, logs, Referer); the gateway sends the visitor back to `return#cg_token=…`.

/** Leaves the page for `${base}/preferences`, carrying the site, the current token and the way back. */
export function openPreferences(win, base, siteId, token) {
  const doc = win.document;
  const form = doc.createElement('form');
  const fields = token ? { site: siteId, token, return: win.location.href.split('#')[0] } : { site: siteId };
  form.method = token ? 'post' : 'get';
  form.action = `${base}/preferences`;
  form.target = '_self';
  form.hidden = true;
  Object.entries(fields).forEach(([name, value]) => {
    const input = doc.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  });
  doc.body.append(form);
  form.submit();
}
