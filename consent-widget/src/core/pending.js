// The latest choice not yet recorded, kept in localStorage with one Idempotency-Key until the gateway
// answers 201: retries after a reload or a lost connection reuse the key, so the gateway records it once.
import { loadItem, removeItem, saveItem } from '../utils/storage.js';
import { uuid } from '../utils/uuid.js';

const KEY = 'cg_pending';

/**
 * `send(body, key)` is the gateway's record call. `refused()` runs when it answers 401 and says whether to try
 * once more: true when it dropped the token the call presented.
 */
export function createPending(win, send, refused = () => false) {
  let inFlight = null;

  async function attempt(prepare, again) {
    const item = loadItem(win, KEY);
    if (!item) return null;
    let res;
    try {
      res = await send(prepare(item.body), item.key);
    } catch (e) {
      return null; // not reached: keep it for the next load or the next `online`
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) return null;
    // a newer choice may have replaced it meanwhile; that one still has to go
    const current = (loadItem(win, KEY) || {}).key === item.key;
    // a refused token proves nothing: the same choice goes once more without it, as a new subject, under a new
    // key (the gateway binds a key to the token that presented it)
    if (res.status === 401 && current && !again && refused()) {
      saveItem(win, KEY, { key: uuid(win.crypto), body: item.body });
      return attempt(prepare, true);
    }
    if (current) removeItem(win, KEY);
    return res.status < 300 && res.body && res.body.token ? { key: item.key, record: res.body } : { dropped: true };
  }

  return {
    /** The unsent choice {key, body}, or null. */
    get: () => loadItem(win, KEY),
    /** Replaces any unsent choice with `body` under a new key. */
    put(body) {
      const item = { key: uuid(win.crypto), body };
      saveItem(win, KEY, item);
      return item;
    },
    /** Forgets the unsent choice: a newer one was recorded elsewhere (the preferences page). */
    drop: () => removeItem(win, KEY),
    /**
     * Sends the unsent choice through `prepare(body)`. Resolves to {key, record} on success, {dropped: true}
     * when the gateway refused it for good (4xx), null when it stays pending.
     */
    flush(prepare = (b) => b) {
      if (!inFlight) inFlight = attempt(prepare).finally(() => { inFlight = null; });
      return inFlight;
    },
  };
}
