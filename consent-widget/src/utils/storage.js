// JSON values in localStorage; silent when storage is unavailable (private browsing, blocked storage).

/** The value stored under `key`, or null. */
export function loadItem(win, key) {
  try {
    return JSON.parse(win.localStorage.getItem(key)) || null;
  } catch (e) {
    return null;
  }
}

/** Stores `value` under `key`; false when the browser refused. */
export function saveItem(win, key, value) {
  try {
    win.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (e) {
    return false;
  }
}

export function removeItem(win, key) {
  try {
    win.localStorage.removeItem(key);
  } catch (e) {
    // nothing stored, nothing to remove
  }
}
