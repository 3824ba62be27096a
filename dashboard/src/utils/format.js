// Numbers, rates, changes and days as each language writes them.

const locales = { fr: 'fr-FR', en: 'en-GB' };
const tag = (lang) => locales[lang] || lang;

export function number(lang, n) {
  return n == null ? '–' : new Intl.NumberFormat(tag(lang)).format(n);
}

/** A rate of 0..1 as a percentage with at most one decimal; null (no banner shown) as a dash. */
export function percent(lang, rate) {
  return rate == null ? '–' : new Intl.NumberFormat(tag(lang), { style: 'percent', maximumFractionDigits: 1 })
    .format(rate);
}

/**
 * The change from `previous` to `current`: counts as a relative change (+25 %), rates in percentage points
 * (+5 pts). Null when there is nothing to compare with (no previous figure, or 0 before for a count).
 */
export function change(lang, current, previous, kind, points) {
  if (current == null || previous == null) return null;
  const sign = (v) => (v > 0 ? '+' : v < 0 ? '−' : '±');
  if (kind === 'rate') {
    const pts = Math.round((current - previous) * 1000) / 10;
    return `${sign(pts)}${new Intl.NumberFormat(tag(lang), { maximumFractionDigits: 1 }).format(Math.abs(pts))}\u00a0${points}`;
  }
  if (previous === 0) return null;
  const rel = (current - previous) / previous;
  return `${sign(rel)}${percent(lang, Math.abs(rel))}`;
}

function utc(day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** A day of the site (YYYY-MM-DD) as '23 nov.' / '23 Nov'; with `year`, '23 nov. 2026'. */
export function day(lang, d, year) {
  return new Intl.DateTimeFormat(tag(lang), { day: 'numeric', month: 'short', year: year ? 'numeric' : undefined,
    timeZone: 'UTC' }).format(utc(d));
}

/** A bucket of the consent funnel: a day, a week as 'from – to', a month as 'nov. 2026'. */
export function bucket(lang, { start, end }, interval) {
  if (interval === 'month') {
    return new Intl.DateTimeFormat(tag(lang), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(utc(start));
  }
  return start === end ? day(lang, start) : `${day(lang, start)} – ${day(lang, end)}`;
}

/** An instant (ISO) as a date and time of the reader's own clock. */
export function instant(lang, iso) {
  return iso == null ? '–' : new Intl.DateTimeFormat(tag(lang), { dateStyle: 'medium', timeStyle: 'short' })
    .format(new Date(iso));
}

/** A country code as its name in `lang` ('FR' → 'France'), the code itself when unknown. */
export function country(lang, code) {
  return displayName(lang, 'region', code);
}

/** A language code as its name in `lang` ('fr' → 'français'). */
export function language(lang, code) {
  return displayName(lang, 'language', code);
}

function displayName(lang, type, code) {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(code)) return code;
  try {
    const name = new Intl.DisplayNames([tag(lang)], { type, fallback: 'none' }).of(code);
    return name ? `${name} (${code})` : code;
  } catch (e) {
    return code;
  }
}
