// Parameters the gateway hands back in the URL fragment (#cg_token=…), read once and taken out of the address
// bar so that a bookmark, a shared link or the Referer never carries them.

/**
 * The value of `name=` among the fragment's &-separated parts, or null. When present it is removed with
 * history.replaceState, the rest of the fragment kept as it was.
 */
export function takeFragmentParam(win, name) {
  const loc = win.location;
  const parts = loc.hash.slice(1).split('&');
  const i = parts.findIndex((part) => part.startsWith(`${name}=`));
  if (i < 0) return null;
  let value = parts.splice(i, 1)[0].slice(name.length + 1);
  try {
    value = decodeURIComponent(value);
  } catch (e) {
    // left as it came: a token is base64url and dots, nothing to decode
  }
  const rest = parts.join('&');
  try {
    win.history.replaceState(win.history.state, '', loc.pathname + loc.search + (rest ? `#${rest}` : ''));
  } catch (e) {
    // sandboxed or opaque documents refuse; the value is still usable
  }
  return value;
}
