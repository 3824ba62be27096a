// Entry point: starts the widget for the <script> tag that loaded it. The build publishes these exports as
// window.ConsentGateway (types/consent-gateway.d.ts describes them for integrators).
import { INLINE_CONFIG_MARK } from './core/inline-config.js';
import { start } from './core/widget.js';

export const { show, getConsent, onChange, withdraw, track, openPreferences } =
  start(window, document.currentScript, INLINE_CONFIG_MARK);
