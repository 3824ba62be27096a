// Analytics beacons, sent only while the current consent grants "statistics".
import { eventId } from '../utils/uuid.js';

/**
 * `collect(body)` posts a beacon; `grantedToken()` is the consent token when statistics is granted, else null.
 */
export function createTracker(win, collect, siteId, grantedToken) {
  let viewed = false;

  function send(type, name, props) {
    const token = grantedToken();
    if (!token) return false;
    const doc = win.document;
    collect({
      siteId, token, type, url: win.location.href, referrer: doc.referrer || undefined, name, props,
      screen: { w: win.screen.width, h: win.screen.height }, eventId: eventId(win.crypto),
    });
    return true;
  }

  return {
    /** One pageview per page load, the first time consent allows it. */
    pageview() {
      if (!viewed) viewed = send('pageview');
    },
    /** A custom event; does nothing without consent. */
    track(name, props) {
      send('event', String(name), props);
    },
  };
}
