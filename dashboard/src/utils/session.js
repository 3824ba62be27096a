// The marketing key lives in this tab's sessionStorage only: gone when the tab closes, never in a URL, a
// cookie or localStorage. The chosen language may stay with it.

const KEY = 'cg-dashboard-key';
const LANG = 'cg-dashboard-lang';

function read(win, name) {
  try {
    return win.sessionStorage.getItem(name);
  } catch (e) {
    return null;
  }
}

function write(win, name, value) {
  try {
    if (value == null) win.sessionStorage.removeItem(name);
    else win.sessionStorage.setItem(name, value);
  } catch (e) {
    // storage refused (privacy settings): the key then lasts as long as the page
  }
}

export const loadKey = (win) => read(win, KEY);
export const saveKey = (win, key) => write(win, KEY, key);
export const clearKey = (win) => write(win, KEY, null);
export const loadLang = (win) => read(win, LANG);
export const saveLang = (win, lang) => write(win, LANG, lang);
