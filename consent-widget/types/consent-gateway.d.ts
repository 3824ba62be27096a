/**
 * Consent Gateway widget (consent.js): the public API for integrators.
 *
 * Embed on every page:
 *   <script src="https://GATEWAY/consent.js" data-site="SITE_ID" defer></script>
 * Optional attribute `data-gateway="https://gateway.example"` overrides the gateway base URL (default: the
 * origin of the script's own src).
 * Faster first visit: `src="https://GATEWAY/consent.js?site=SITE_ID"` serves the site's config inside the
 * script, so the banner opens without waiting for GET /v1/sites/{id}/config (keep data-site as well).
 * Optional `crossorigin="anonymous"`: the script then shares the widget's uncredentialed connection.
 *
 * Hold tags back until consent:
 *   <script type="text/plain" data-consent="statistics" src="https://…/analytics.js"></script>
 *   <script type="text/plain" data-consent="statistics prospecting">…</script>   (needs every purpose named)
 * Reopen the banner from any element: <a href="#" data-cg-open>Cookie preferences</a>
 * Open the gateway's preferences page (review, change, withdraw, export, delete) from any element:
 *   <a href="#" data-cg-preferences>Manage my consent</a>
 * The page sends the visitor back to the same URL with `#cg_token=…`; the widget adopts that consent, takes the
 * parameter out of the address bar and keeps the rest of the fragment.
 *
 * Site settings (config `widget`, absent on older gateways): `floatingButton: true` adds a fixed "Cookie
 * preferences" button (bottom left, id `cg-fab`) once a choice exists, which reopens the banner;
 * `repromptAfterRefusalDays: n` shows the banner again to a visitor whose consent refuses every optional purpose
 * once n days have passed since that choice (null: only when the consent expires).
 * The × button and Escape on the banner's first layer record a refusal with method "dismiss".
 */

/** A purpose id from the site's configuration, e.g. "necessary", "statistics", "prospecting". */
export type PurposeId = string;

/** The visitor's current consent. */
export interface Consent {
  /** Null while the choice waits to be recorded (gateway unreachable). */
  consentId: string | null;
  /** Pseudonymous subject id issued by the gateway; null until the first consent is recorded. */
  subjectId: string | null;
  /** One entry per purpose; purposes absent or false are refused. "necessary" is always true. */
  choices: Record<PurposeId, boolean>;
  /** ISO-8601 UTC end of validity (13 months after the first deposit, never extended); null while pending. */
  expiresAt: string | null;
  policyVersion: string | null;
  /** True when the choice is applied on this device but not yet recorded by the gateway. */
  pending?: true;
}

/** Event properties sent with a custom analytics event. */
export type EventProps = Record<string, string | number | boolean | null>;

export interface ConsentGateway {
  /** Opens the banner (second use: shows the current choices). Resolves once it is on screen. */
  show(): Promise<void>;
  /** The current consent, or null when none stands (no choice yet, expired, refused token, policy renewal). */
  getConsent(): Consent | null;
  /** Calls `listener` after every change of consent; returns a function that unsubscribes it. */
  onChange(listener: (consent: Consent | null) => void): () => void;
  /**
   * Refuses every non-necessary purpose, deletes their declared cookies and records the withdrawal.
   * Resolves to the new consent (pending when the gateway is unreachable), or null for an unknown site.
   */
  withdraw(): Promise<Consent | null>;
  /** Sends a custom analytics event; does nothing unless the consent grants "statistics". */
  track(name: string, props?: EventProps): void;
  /**
   * Leaves the page for the gateway's preferences page: a POST carrying the site, the current token and this
   * URL to come back to; without a consent on this device, `GET /preferences?site=…`.
   */
  openPreferences(): void;
}

/**
 * Keys a site may override per locale in its configuration (`texts: {"fr": {...}, "en": {...}}`); French and
 * English are built in, other locales start from English.
 */
export interface ConsentTexts {
  title: string;
  /**
   * First layer. `{controller}` becomes the site's name (the controller), `{purposes}` the labels of its optional
   * purposes, comma-separated.
   */
  description: string;
  /** Stands for the site's name in `description` when the configuration cannot be had. */
  controller: string;
  /** Link text to the policy URL of the site configuration. */
  policy: string;
  acceptAll: string;
  refuseAll: string;
  customise: string;
  /** Accessible name of the × button, which refuses all (recorded as a dismissal). */
  close: string;
  /** Heading of the second layer, and the floating button's label. */
  prefsTitle: string;
  save: string;
  back: string;
  /** Note under a required purpose. */
  alwaysOn: string;
  /** Note under a purpose refused because the browser sends Global Privacy Control. */
  gpcLocked: string;
  /** Fallback purpose labels, used when a purpose has no label in the configuration. */
  purposes: Record<PurposeId, string>;
}

/** Dispatched on `document` after every change of consent. */
export type ConsentEvent = CustomEvent<Consent | null>;

declare global {
  interface Window {
    ConsentGateway: ConsentGateway;
  }
  interface DocumentEventMap {
    'cg:consent': ConsentEvent;
  }
}
