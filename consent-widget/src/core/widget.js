// Start-up and the consent life cycle: read the cookie (or the token the preferences page hands back), ask the
// gateway, show the banner when a choice is needed, apply the choice to the page (consent mode, scripts, cookie
// clean-up, analytics) and record it.
import { deleteCookie, readCookie, writeCookie } from '../utils/cookies.js';
import { takeFragmentParam } from '../utils/fragment.js';
import { pickLocale, wantedLocales } from '../utils/language.js';
import { decodeToken } from '../utils/token.js';
import { textsFor } from '../i18n/index.js';
import { createTracker } from './analytics.js';
import { openBanner } from './banner.js';
import { consentDefault, consentUpdate } from './consent-mode.js';
import { createConsentState } from './consent-state.js';
import { deleteRefusedCookies } from './cookie-cleanup.js';
import { createFloatingButton } from './floating-button.js';
import { createGateway } from './gateway.js';
import { inlinedConfig } from './inline-config.js';
import { createPending } from './pending.js';
import { openPreferences } from './preferences.js';
import { choicesFor, choicesFromGranted, gpcLocked, methodFor, purposesOf, refusesAll } from './purposes.js';
import { activateScripts } from './scripts.js';

const COOKIE = 'cg_consent';
const warn = (msg) => console.warn(`Consent Gateway: ${msg}`);
const ready = (doc) => new Promise((resolve) => {
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', resolve, { once: true });
  else resolve();
});
const publicRecord = (r) => ({
  consentId: r.consentId, subjectId: r.subjectId, choices: { ...r.choices }, expiresAt: r.expiresAt,
  policyVersion: r.policyVersion,
});

/**
 * Starts the widget for the <script> element `script` and returns the public API. `inlined`: the site's config
 * when the gateway served it inside the script (used only if it is this site's).
 */
export function start(win, script, inlined) {
  if (win.ConsentGateway && win.ConsentGateway.getConsent) return win.ConsentGateway; // consent.js loaded twice
  const doc = win.document;
  script = script || doc.querySelector('script[data-site]');
  const siteId = script && script.getAttribute('data-site');
  if (!siteId) {
    warn('the consent.js <script> has no data-site attribute');
    return { show: async () => {}, getConsent: () => null, onChange: () => () => {}, withdraw: async () => null, track() {},
      openPreferences() {} };
  }
  const base = (script.getAttribute('data-gateway') || new URL(script.src, doc.baseURI).origin).replace(/\/+$/, '');
  const host = win.location.hostname;
  const secure = win.location.protocol === 'https:';
  const gpc = win.navigator.globalPrivacyControl === true;
  const gw = createGateway(win, base, siteId);
  const state = createConsentState(doc);
  const pending = createPending(win, (body, key) => gw.record(body, key, token), () => {
    if (!token) return false;
    // the token the record call presented was refused: the pending choice replaces that consent, so only the
    // token goes, and the choice is sent once more without it
    forget(true);
    return true;
  });
  const tracker = createTracker(win, gw.collect, siteId, () => {
    const c = state.get();
    return c && !c.pending && c.choices.statistics === true ? token : null;
  });

  let config = inlinedConfig(inlined, siteId); // the site's public config, once known
  let unknownSite = false; // the gateway answered 404 for the config: stay silent
  let configCall = config && Promise.resolve(config);
  let token = null; // the cookie's token while it stands
  let noticeId = null; // the notice of the banner on screen
  let banner = null;
  // the site's widget settings (floatingButton, repromptAfterRefusalDays); older gateways send none
  const settings = () => (config && config.widget) || {};
  const localeNow = () => pickLocale(wantedLocales(win), (config && config.locales) || ['en', 'fr']);
  const floating = createFloatingButton(doc, () => show());
  // the floating button, when the site wants one: there once a choice exists, never beside the banner
  function syncFloating() {
    const locale = localeNow();
    floating(!banner && !!state.get() && settings().floatingButton === true,
      locale, textsFor(locale, config && config.texts).prefsTitle, script.nonce);
  }

  function loadConfig() {
    if (!configCall) {
      configCall = gw.config().then((r) => {
        if (r.status === 200 && r.body) return (config = r.body);
        if (r.status !== 404) throw new Error(`config ${r.status}`);
        unknownSite = true;
        warn(`unknown site "${siteId}"`);
        return null;
      }).catch(() => {
        configCall = null; // unreachable: try again on the next need
        return null;
      });
    }
    return configCall;
  }

  // -- applying a consent to the page ---------------------------------------------------------------
  function apply(consent) {
    const purposes = purposesOf(config, doc);
    const choices = consent ? consent.choices : {};
    // the browser's Global Privacy Control outranks an older consent
    purposes.forEach((p) => { if (gpcLocked(p, gpc)) choices[p.id] = false; });
    deleteRefusedCookies(doc, host, purposes, choices);
    consentUpdate(win, config && config.consentMode, choices);
    activateScripts(doc, choices);
    state.set(consent);
    tracker.pageview();
    syncFloating();
  }
  function fromToken(p) {
    return {
      consentId: p.cid, subjectId: p.sub, choices: choicesFromGranted(p.p, purposesOf(config, doc)),
      expiresAt: new Date(p.exp * 1000).toISOString(), policyVersion: p.pv,
    };
  }
  // the consent no longer stands: drop its cookie and (unless a new choice takes over) what its purposes left
  function forget(replaced) {
    deleteCookie(doc, COOKIE, host);
    token = null;
    if (!replaced) deleteRefusedCookies(doc, host, purposesOf(config, doc), {});
  }
  // the subject the consent being replaced belongs to, shown while the new choice is pending
  const subject = () => (decodeToken(token) || {}).sub || null;
  // a record the gateway issued: its token goes into the cookie, expiring when the consent does
  function adopt(record) {
    token = record.token;
    const expires = Date.parse(record.expiresAt) || decodeToken(token).exp * 1000;
    writeCookie(doc, COOKIE, token, new Date(expires), secure);
  }

  // -- recording a choice ---------------------------------------------------------------------------
  function choose(action, picks, locale) {
    const purposes = purposesOf(config, doc);
    const choices = choicesFor(purposes, gpc, action, picks);
    // no subjectId: the token, sent as bearer when the choice goes, is what proves the subject
    const body = {
      siteId,
      noticeId: noticeId || undefined,
      policyVersion: config ? config.policy.version : undefined,
      locale,
      method: action, // the gateway's method is settled when it goes, against the purposes known then
      choices,
    };
    pending.put(body);
    apply({ consentId: null, subjectId: subject(), choices, expiresAt: null,
      policyVersion: body.policyVersion || null, pending: true });
    return flush();
  }
  // What the gateway expects, filled in from the config when the choice was made without it: "accept all" made
  // on the fallback purposes must still grant every purpose of the config, or the gateway refuses it.
  function prepare(body) {
    const choices = choicesFor(config.purposes, gpc, body.method, body.choices);
    config.purposes.forEach((p) => { if (p.required) delete choices[p.id]; });
    // subjectId: a choice left by an older widget may carry one; the gateway wants the bearer token instead
    return { ...body, choices, method: methodFor(body.method, config.purposes, gpc),
      policyVersion: body.policyVersion || config.policy.version, subjectId: undefined };
  }
  async function flush() {
    if (!pending.get() || !(await loadConfig())) return;
    const r = await pending.flush(prepare);
    if (!r) return;
    if (r.record) adopt(r.record);
    if (pending.get()) return flush(); // a newer choice was made meanwhile: that one is the consent
    if (r.record) apply(publicRecord(r.record));
  }

  // -- the banner -----------------------------------------------------------------------------------
  async function show() {
    await ready(doc);
    const cfg = await loadConfig();
    if (unknownSite || banner) return;
    const locale = localeNow();
    const current = state.get();
    noticeId = null;
    banner = openBanner(doc, {
      texts: textsFor(locale, cfg && cfg.texts), locale, controller: cfg && cfg.name, purposes: purposesOf(cfg, doc),
      gpc, nonce: script.nonce, choices: current && current.choices, policyUrl: cfg && cfg.policy && cfg.policy.url,
      onDecide(action, picks) {
        banner = null;
        choose(action, picks, locale);
      },
    });
    syncFloating();
    if (cfg) {
      gw.notice({ policyVersion: cfg.policy.version, locale })
        .then((r) => { if (r.status === 201 && r.body) noticeId = r.body.noticeId; }, () => {});
    }
  }

  // -- withdrawal -----------------------------------------------------------------------------------
  async function withdraw() {
    await loadConfig();
    if (unknownSite) return null;
    if (banner) {
      banner.close();
      banner = null;
    }
    if (token && !pending.get()) {
      try {
        const r = await gw.withdraw(token);
        if (r.status === 200 && r.body && r.body.token) {
          adopt(r.body);
          apply(publicRecord(r.body));
          return state.get();
        }
        if (r.status === 401) forget();
      } catch (e) {
        // unreachable: the refusal below is applied now and recorded later
      }
    }
    await choose('reject_all', {}, localeNow());
    return state.get();
  }

  // -- start-up -------------------------------------------------------------------------------------
  // After a refusal the site may ask again before the consent expires, no sooner than its
  // repromptAfterRefusalDays after the refusal was given (the record's givenAt: the token has no such time, and
  // without the gateway's answer nobody asks). The refusal holds meanwhile, and the new answer goes with the
  // same token, so the same subject.
  function repromptDue(record) {
    const days = settings().repromptAfterRefusalDays;
    return typeof days === 'number' && refusesAll(config.purposes, record.choices)
      && Date.now() >= Date.parse(record.givenAt) + days * 864e5;
  }

  const valid = (claims) => claims && claims.site === siteId && claims.exp * 1000 > Date.now();
  async function boot() {
    const configLoaded = loadConfig();
    // back from the preferences page with the consent made there: it replaces this device's one, keeping the
    // token's own expiry (the fixed end of the consent, so this is no extension); checked below like any cookie
    const back = takeFragmentParam(win, 'cg_token');
    if (valid(decodeToken(back))) {
      pending.drop();
      adopt({ token: back });
    }
    await ready(doc);
    const raw = readCookie(doc, COOKIE);
    const claims = raw && decodeToken(raw);
    if (raw && !valid(claims)) deleteCookie(doc, COOKIE, host);
    else if (claims) token = raw;

    const local = pending.get();
    if (local && local.body.siteId === siteId) {
      await configLoaded;
      if (unknownSite) return;
      apply({ consentId: null, subjectId: subject(), choices: local.body.choices,
        expiresAt: null, policyVersion: local.body.policyVersion || null, pending: true });
      return flush();
    }
    if (!token) return show();

    let res = null;
    try {
      res = await gw.current(token);
    } catch (e) {
      // unreachable: judged below on the token's own claims
    }
    await configLoaded;
    if (unknownSite) return;
    if (!res || res.status >= 500) return apply(fromToken(claims));
    if (res.status === 200 && res.body && !res.body.renewRequired) {
      apply(publicRecord(res.body));
      return repromptDue(res.body) && show();
    }
    // a substantial policy change keeps the cookie, so the new consent stays with the same subject
    if (!(res.status === 200 && res.body)) forget();
    return show();
  }

  consentDefault(win); // before any tag can run
  const preferences = () => openPreferences(win, base, siteId, token);
  doc.addEventListener('click', (e) => {
    const opener = e.target.closest && e.target.closest('[data-cg-open],[data-cg-preferences]');
    if (opener) {
      e.preventDefault();
      if (opener.hasAttribute('data-cg-open')) show();
      else preferences();
    }
  });
  win.addEventListener('online', () => flush());
  boot();

  return {
    show,
    getConsent: state.get,
    onChange: (fn) => state.subscribe(fn),
    withdraw,
    track: (name, props) => tracker.track(name, props),
    openPreferences: preferences,
  };
}
